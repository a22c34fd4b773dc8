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
  return {
    /** A date and time, or the translated "never" for null. */
    dateTime: (iso: string | null | undefined, never = t("common.never")) =>
      iso ? dateTime.format(new Date(iso)) : never,
    /** A precise timestamp (audit entries). */
    timestamp: (iso: string) => dateTimeSeconds.format(new Date(iso)),
    /** A time of day. */
    time: (date: Date) => time.format(date),
  };
}
