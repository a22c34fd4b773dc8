/** Yes-or-no questions and several-of-many choices, as checkboxes with their labels. */
import { useTranslation } from "react-i18next";
import { fieldMessage } from "../../api.ts";
import { describedBy } from "./errors.tsx";
import { useFieldId } from "./Field.tsx";
import { FieldGroup } from "./FieldGroup.tsx";

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
  const id = useFieldId(undefined, "c");
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

/** Several of many: a fieldset of checkboxes answering one question. */
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
  const base = useFieldId(undefined, "g");
  const toggle = (value: T, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <FieldGroup variant="choices" legend={legend} hint={hint} error={error}>
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
    </FieldGroup>
  );
}
