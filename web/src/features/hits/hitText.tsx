/**
 * How hit/no-hit speaks: the node's reasons in the user's language, the labels the
 * node composes from a name and a value (kept left to right), and a score as a
 * percentage.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { fieldMessage } from "../../api.ts";

/** The node's own reasons, in the user's language when known (else as sent). */
export function hitMessage(t: TFunction, message: string): string {
  if (/^a person is asked about with a given name and a family name/.test(message))
    return t("hits.refusal.thinPerson");
  if (/^there is no active peer to ask$/.test(message)) return t("hits.errors.noActivePeer");
  if (/^is not an item of this case$/.test(message)) return t("hits.errors.notAnItem");
  const notActive = /^([A-Z]{3}|UNODC) is not an active peer$/.exec(message);
  if (notActive) return t("hits.errors.notActivePeer", { node: notActive[1] });
  return fieldMessage(t, message);
}

/**
 * A label the node composes from a name and a value ("محمد الراشد (1990-04-02)", "Name: +52…"):
 * a left-to-right mark after the name keeps the date or number after it, whatever the name's script.
 */
export function labelText(label: string): string {
  return label.replace(/(\S)(:\s|\s\()/gu, "$1\u200e$2");
}

/** Such a label on the page: isolated, left to right. */
export function ItemLabel({ label, className }: { label: string; className?: string }) {
  return (
    <bdi dir="ltr" className={className}>
      {labelText(label)}
    </bdi>
  );
}

/** A score (0–1) as a percentage in the interface language. */
export function useScore(): (score: number) => string {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 0 });
  return (score: number) => f.format(score);
}
