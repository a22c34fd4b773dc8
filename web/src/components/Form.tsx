/**
 * Form building blocks: every input has a visible <label>; a field's error and
 * hint are tied to it with aria-describedby, and it is marked aria-invalid.
 */
import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, fieldMessage, problemMessage } from "../api.ts";

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (aria: { "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
  className?: string | undefined;
}

function FieldShell({ id, label, hint, error, children, className }: FieldShellProps) {
  const { t } = useTranslation();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const aria: { "aria-describedby"?: string; "aria-invalid"?: true } = {};
  const by = describedBy(errorId, hintId);
  if (by) aria["aria-describedby"] = by;
  if (error) aria["aria-invalid"] = true;
  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children(aria)}
      {error && (
        <p className="field-error" id={errorId}>
          {fieldMessage(t, error)}
        </p>
      )}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange" | "value"> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string | undefined;
  error?: string | undefined;
  testId?: string;
  id?: string;
  inputRef?: Ref<HTMLInputElement>;
  fieldClassName?: string;
};

export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  testId,
  id,
  inputRef,
  fieldClassName,
  ...rest
}: TextFieldProps) {
  const auto = useId();
  const inputId = id ?? `f${auto.replace(/:/g, "")}`;
  return (
    <FieldShell id={inputId} label={label} hint={hint} error={error} className={fieldClassName}>
      {(aria) => (
        <input
          type="text"
          {...rest}
          {...aria}
          ref={inputRef}
          id={inputId}
          value={value}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FieldShell>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "onChange" | "value"> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: string | undefined;
  error?: string | undefined;
  testId?: string;
  id?: string;
  fieldClassName?: string;
};

export function SelectField({
  label,
  value,
  onChange,
  options,
  hint,
  error,
  testId,
  id,
  fieldClassName,
  ...rest
}: SelectFieldProps) {
  const auto = useId();
  const selectId = id ?? `f${auto.replace(/:/g, "")}`;
  return (
    <FieldShell id={selectId} label={label} hint={hint} error={error} className={fieldClassName}>
      {(aria) => (
        <select
          {...rest}
          {...aria}
          id={selectId}
          value={value}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "onChange" | "value"> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string | undefined;
  error?: string | undefined;
  testId?: string;
  id?: string;
  textAreaRef?: Ref<HTMLTextAreaElement>;
  fieldClassName?: string;
};

export function TextAreaField({
  label,
  value,
  onChange,
  hint,
  error,
  testId,
  id,
  textAreaRef,
  fieldClassName,
  rows = 3,
  ...rest
}: TextAreaFieldProps) {
  const auto = useId();
  const inputId = id ?? `f${auto.replace(/:/g, "")}`;
  return (
    <FieldShell id={inputId} label={label} hint={hint} error={error} className={fieldClassName}>
      {(aria) => (
        <textarea
          {...rest}
          {...aria}
          ref={textAreaRef}
          id={inputId}
          rows={rows}
          value={value}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FieldShell>
  );
}

interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string | undefined;
  error?: string | undefined;
  testId?: string;
  disabled?: boolean;
}

/** One yes-or-no question: a checkbox with its label, hint and error. */
export function CheckboxField({
  label,
  checked,
  onChange,
  hint,
  error,
  testId,
  disabled,
}: CheckboxFieldProps) {
  const { t } = useTranslation();
  const id = `c${useId().replace(/:/g, "")}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`checkbox checkbox-field${error ? " field-invalid" : ""}`}>
      <input
        type="checkbox"
        id={id}
        checked={checked}
        disabled={disabled}
        data-testid={testId}
        aria-describedby={describedBy(errorId, hintId)}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p className="field-hint" id={hintId}>
            {hint}
          </p>
        )}
        {error && (
          <p className="field-error" id={errorId}>
            {fieldMessage(t, error)}
          </p>
        )}
      </div>
    </div>
  );
}

interface CheckboxGroupProps<T extends string> {
  legend: string;
  options: { value: T; label: string; description?: string }[];
  selected: readonly T[];
  onChange: (selected: T[]) => void;
  error?: string | undefined;
  hint?: string | undefined;
  /** data-testid of each checkbox is `${testIdPrefix}${value}`. */
  testIdPrefix?: string;
  disabled?: boolean;
}

export function CheckboxGroup<T extends string>({
  legend,
  options,
  selected,
  onChange,
  error,
  hint,
  testIdPrefix,
  disabled,
}: CheckboxGroupProps<T>) {
  const { t } = useTranslation();
  const base = `g${useId().replace(/:/g, "")}`;
  const hintId = hint ? `${base}-hint` : undefined;
  const errorId = error ? `${base}-error` : undefined;
  const toggle = (value: T, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <fieldset
      className={`checkbox-group${error ? " field-invalid" : ""}`}
      aria-describedby={describedBy(errorId, hintId)}
    >
      <legend>{legend}</legend>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="checkbox-grid">
        {options.map((o) => {
          const id = `${base}-${o.value}`;
          return (
            <div className="checkbox" key={o.value}>
              <input
                type="checkbox"
                id={id}
                checked={selected.includes(o.value)}
                disabled={disabled}
                data-testid={testIdPrefix ? `${testIdPrefix}${o.value}` : undefined}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <label htmlFor={id}>
                {o.label}
                {o.description && <span className="checkbox-description">{o.description}</span>}
              </label>
            </div>
          );
        })}
      </div>
      {error && (
        <p className="field-error" id={errorId}>
          {fieldMessage(t, error)}
        </p>
      )}
    </fieldset>
  );
}

/**
 * The general message of a failed request, in a live region that is always
 * present (so screen readers announce the message when it appears).
 */
export function ProblemAlert({ problem, className }: { problem: ApiProblem | null; className?: string }) {
  const { t, i18n } = useTranslation();
  const hasFieldErrors = problem !== null && Object.keys(problem.fields).length > 0;
  return (
    <div aria-live="assertive" aria-atomic="true" className={className}>
      {problem && (
        <div className="alert alert-error" data-testid="error-message">
          <p>
            {problem.code === "validation_failed" && hasFieldErrors
              ? t("errors.checkFields")
              : problemMessage(t, problem, i18n.language)}
          </p>
          {problem.otherFields.length > 0 && (
            <ul>
              {problem.otherFields.map((f) => (
                <li key={f.path}>
                  <code>{f.path}</code> {fieldMessage(t, f.message)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A one-line status message (success) in a polite live region. */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {message && <p className="alert alert-success">{message}</p>}
    </div>
  );
}
