/** Locale-aware formatting of dates for the current interface language. */
import { useTranslation } from "react-i18next";

export function useFormat() {
  const { t, i18n } = useTranslation();
  const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const dateTimeSeconds = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: "short",
    timeStyle: "medium",
  });
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: "medium" });
  const day = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone: "UTC" });
  const number = new Intl.NumberFormat(i18n.language);
  return {
    /** A date and time, or the translated "never" for null. */
    dateTime: (iso: string | null | undefined, never = t("common.never")) =>
      iso ? dateTime.format(new Date(iso)) : never,
    /** A precise timestamp (audit entries). */
    timestamp: (iso: string) => dateTimeSeconds.format(new Date(iso)),
    /** A time of day. */
    time: (date: Date) => time.format(date),
    /** A calendar day given as YYYY-MM-DD (no time zone shift). */
    date: (day10: string | null | undefined, none = t("common.unknown")) => {
      if (!day10) return none;
      const d = new Date(`${day10.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? day10 : day.format(d);
    },
    /** A count in the interface language's digits and grouping. */
    number: (n: number) => number.format(n),
  };
}

/** The value of a datetime-local input (the user's local time) as an ISO instant; undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * An amount of money in the interface language with its ISO 4217 code, e.g. "USD 500,000.00"
 * or "500 000,00 USD": a symbol would be ambiguous ("$" is also the Colombian peso) and does
 * not survive right-to-left layout.
 */
export function formatMoney(language: string, value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency, currencyDisplay: "code" }).format(
      value,
    );
  } catch {
    return `${new Intl.NumberFormat(language).format(value)} ${currency}`;
  }
}
