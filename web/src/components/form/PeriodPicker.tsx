/**
 * A period from one year (or day) to another: the two inputs, the small form that
 * applies a period of years (the statistics, the global report), and the check of
 * what was typed before it is sent.
 */
import type { FormEvent, ReactNode } from "react";
import { TextField, YearField } from "./Field.tsx";
import { wholeNumber } from "./input.ts";

/** A period as typed. */
export interface PeriodDraft {
  from: string;
  to: string;
}

interface PeriodLabels {
  from: string;
  to: string;
}

interface PeriodFieldsProps {
  /** Years (typed) or days (the browser's date input). */
  unit: "year" | "date";
  value: PeriodDraft;
  onChange: (value: PeriodDraft) => void;
  labels: PeriodLabels;
  errors?: { from?: string | undefined; to?: string | undefined };
  testIds: { from: string; to: string };
}

/** The two inputs of a period, side by side in the caller's form. */
export function PeriodFields({ unit, value, onChange, labels, errors, testIds }: PeriodFieldsProps) {
  const field = (key: "from" | "to") => {
    const props = {
      label: labels[key],
      value: value[key],
      onChange: (typed: string) => onChange({ ...value, [key]: typed }),
      error: errors?.[key],
      testId: testIds[key],
    };
    return unit === "year" ? (
      <YearField key={key} {...props} />
    ) : (
      <TextField key={key} type="date" {...props} />
    );
  };
  return (
    <>
      {field("from")}
      {field("to")}
    </>
  );
}

interface PeriodPickerProps extends Omit<PeriodFieldsProps, "unit" | "testIds"> {
  /** The form's accessible name. */
  formLabel: string;
  applyLabel: string;
  testIds: { from: string; to: string; apply: string };
  onApply: () => void;
  /** Further buttons beside "apply" (e.g. "all years"). */
  children?: ReactNode;
}

/** A period of years and the button that applies it. */
export function PeriodPicker({
  formLabel,
  applyLabel,
  testIds,
  onApply,
  children,
  ...fields
}: PeriodPickerProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };
  return (
    <form className="filters stats-range" onSubmit={submit} noValidate aria-label={formLabel}>
      <PeriodFields unit="year" testIds={testIds} {...fields} />
      <div className="filter-actions">
        <button type="submit" className="button button-primary" data-testid={testIds.apply}>
          {applyLabel}
        </button>
        {children}
      </div>
    </form>
  );
}

export type ParsedPeriod =
  | { ok: true; from: number | null; to: number | null }
  | { ok: false; fields: Record<string, string> };

/**
 * A period of years as typed, read: each bound a whole number (or empty, unless
 * `required`); with `ordered`, the first not after the last. The errors name the
 * fields `from` and `to`, worded as the node words them.
 */
export function parsePeriod(
  value: PeriodDraft,
  { required = false, ordered = false }: { required?: boolean; ordered?: boolean } = {},
): ParsedPeriod {
  const from = wholeNumber(value.from);
  const to = wholeNumber(value.to);
  const bad: Record<string, string> = {};
  if (from === null && required) bad.from = "must not be empty";
  else if (Number.isNaN(from)) bad.from = "must be a whole number";
  if (to === null && required) bad.to = "must not be empty";
  else if (Number.isNaN(to)) bad.to = "must be a whole number";
  if (ordered && !bad.from && !bad.to && from !== null && to !== null && from > to)
    bad.from = "must not be after to";
  if (Object.keys(bad).length) return { ok: false, fields: bad };
  return { ok: true, from, to };
}
