/**
 * One field of a form: a visible <label>, the input, its inline error and its
 * hint; the error and the hint are tied to the input with aria-describedby, and
 * an input in error is marked aria-invalid.
 */
import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";
import { describedBy, FieldError } from "./errors.tsx";

/** What an input carries to be described by its field's error and hint. */
export interface FieldAria {
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/** An id for an input: the one given, else one unique on the page (`prefix` + React's id). */
export function useFieldId(given?: string, prefix = "f"): string {
  const auto = useId();
  return given ?? `${prefix}${auto.replace(/:/g, "")}`;
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Renders the input with the id and the aria attributes given. */
  children: (aria: FieldAria) => ReactNode;
  className?: string | undefined;
  /** data-testid of the error line. */
  errorTestId?: string;
}

/** The frame of a field around any input (text, select, file…): label, error, hint. */
export function Field({ id, label, hint, error, children, className, errorTestId }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const aria: FieldAria = {};
  const by = describedBy(errorId, hintId);
  if (by) aria["aria-describedby"] = by;
  if (error) aria["aria-invalid"] = true;
  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children(aria)}
      {error && <FieldError id={errorId} message={error} testId={errorTestId} />}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange" | "value"> & {
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
  const inputId = useFieldId(id);
  return (
    <Field id={inputId} label={label} hint={hint} error={error} className={fieldClassName}>
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
    </Field>
  );
}

/** A year (four digits, Western or Arabic-Indic). */
export function YearField(props: TextFieldProps) {
  return <TextField inputMode="numeric" maxLength={4} autoComplete="off" {...props} />;
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
  const selectId = useFieldId(id);
  return (
    <Field id={selectId} label={label} hint={hint} error={error} className={fieldClassName}>
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
    </Field>
  );
}

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "onChange" | "value"> & {
  label: string;
  value: string;
  /** Left out for a read-only text (shown to be selected and copied). */
  onChange?: (value: string) => void;
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
  const inputId = useFieldId(id);
  return (
    <Field id={inputId} label={label} hint={hint} error={error} className={fieldClassName}>
      {(aria) => (
        <textarea
          {...rest}
          {...aria}
          ref={textAreaRef}
          id={inputId}
          rows={rows}
          value={value}
          data-testid={testId}
          onChange={onChange && ((e) => onChange(e.target.value))}
        />
      )}
    </Field>
  );
}
