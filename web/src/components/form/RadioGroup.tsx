/** One of a few: radio buttons in a row, alone in their fieldset or as part of a larger group. */
import { useFieldId } from "./Field.tsx";
import { FieldGroup } from "./FieldGroup.tsx";

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  /** data-testid of the radio button (else `${testIdPrefix}${value}`). */
  testId?: string;
}

interface RadioOptionsProps<T extends string> {
  options: readonly RadioOption<T>[];
  value: T | "";
  onChange: (value: T) => void;
  /** Marks every button aria-invalid (the group's error is said by its fieldset). */
  invalid?: boolean;
  testIdPrefix?: string;
}

/** The buttons alone, inside a fieldset that names the choice (e.g. "to every partner" or "to those chosen"). */
export function RadioOptions<T extends string>({
  options,
  value,
  onChange,
  invalid,
  testIdPrefix,
}: RadioOptionsProps<T>) {
  const base = useFieldId(undefined, "r");
  return (
    <div className="radio-row">
      {options.map((o) => (
        <div className="checkbox" key={o.value}>
          <input
            type="radio"
            id={`${base}-${o.value}`}
            name={`${base}-choice`}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            aria-invalid={invalid ? true : undefined}
            data-testid={o.testId ?? (testIdPrefix ? `${testIdPrefix}${o.value}` : undefined)}
          />
          <label htmlFor={`${base}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </div>
  );
}

interface RadioGroupProps<T extends string> extends RadioOptionsProps<T> {
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** data-testid of the fieldset; each button's is `${testId}-${value}` unless it names its own. */
  testId?: string;
}

/** A question answered by one of a few options: its own fieldset, legend, hint and error. */
export function RadioGroup<T extends string>({
  legend,
  hint,
  error,
  testId,
  testIdPrefix,
  ...options
}: RadioGroupProps<T>) {
  return (
    <FieldGroup variant="choices" legend={legend} hint={hint} error={error} testId={testId}>
      <RadioOptions
        {...options}
        invalid={Boolean(error)}
        testIdPrefix={testIdPrefix ?? (testId ? `${testId}-` : undefined)}
      />
    </FieldGroup>
  );
}
