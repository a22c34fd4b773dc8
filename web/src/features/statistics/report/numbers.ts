/**
 * The report's numbers in the user's language: rates per 100,000 with two decimals,
 * percentages, and counts.
 */
import { useTranslation } from "react-i18next";

export function useRate() {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (n: number | null | undefined) => (n === null || n === undefined ? "—" : f.format(n));
}

export function usePercent() {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 0 });
  return (n: number) => f.format(n);
}

/** A count (the USA's 2021 figure is not whole: rounded for display only). */
export function useCount() {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  return (n: number) => f.format(n);
}
