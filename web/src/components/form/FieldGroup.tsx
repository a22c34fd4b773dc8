/**
 * Fields that belong together, as a <fieldset> whose <legend> names them: a panel
 * of a long form, a group inside it (a name, an age), or a set of choices. The
 * group's hint and error describe the whole group (aria-describedby).
 */
import type { ReactNode } from "react";
import { describedBy, FieldError } from "./errors.tsx";
import { useFieldId } from "./Field.tsx";

const VARIANT = {
  /** A section of a long form, framed as a panel. */
  panel: { fieldset: "panel", legend: "panel-legend" },
  /** A group inside a form (a person's other name, their age). */
  sub: { fieldset: "subfieldset", legend: undefined },
  /** Checkboxes or radio buttons answering one question. */
  choices: { fieldset: "checkbox-group", legend: undefined },
  /** One field whose value is shown with its own controls (a colleague picked from a search). */
  field: { fieldset: "field", legend: undefined },
} as const;

export interface FieldGroupProps {
  legend: string;
  variant: keyof typeof VARIANT;
  hint?: string | undefined;
  error?: string | undefined;
  /** Further classes of the fieldset (its layout: `form-grid`, `form-grid-wide`…). */
  className?: string;
  hintClassName?: string;
  testId?: string;
  errorTestId?: string;
  disabled?: boolean;
  children: ReactNode;
}

export function FieldGroup({
  legend,
  variant,
  hint,
  error,
  className,
  hintClassName,
  testId,
  errorTestId,
  disabled,
  children,
}: FieldGroupProps) {
  const base = useFieldId(undefined, "g");
  const hintId = hint ? `${base}-hint` : undefined;
  const errorId = error ? `${base}-error` : undefined;
  const style = VARIANT[variant];
  const classes = [style.fieldset, className, error && "field-invalid"].filter(Boolean).join(" ");
  return (
    <fieldset
      className={classes}
      aria-describedby={describedBy(errorId, hintId)}
      disabled={disabled}
      data-testid={testId}
    >
      <legend className={style.legend}>{legend}</legend>
      {hint && (
        <p className={hintClassName ? `field-hint ${hintClassName}` : "field-hint"} id={hintId}>
          {hint}
        </p>
      )}
      {children}
      {error && <FieldError id={errorId} message={error} testId={errorTestId} />}
    </fieldset>
  );
}
