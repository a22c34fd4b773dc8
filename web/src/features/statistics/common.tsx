/**
 * Pieces shared by the annual-return pages and the global report: the status badge,
 * the labels of the tables' dimensions and categories, the blockers and the
 * questionnaire's answers in the user's language.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Questionnaire, ReturnStatus, StatTable } from "../../api.ts";
import { iccsText } from "../../components/CaseBadges.tsx";

/** Polling interval while the Secretariat's acknowledgement is awaited. */
export const POLL_MS = 2000;

export const YES_NO = ["yes", "no", "partly", "unknown"] as const;
export const UNTOC_PARTY = ["party", "signatory", "no", "unknown"] as const;
export const ELEMENTS = [
  "unlawful_detention",
  "taking_away",
  "against_will",
  "ransom_or_gain",
  "compel_act",
] as const;
export const AGGRAVATING = [
  "minor_victim",
  "death_or_injury",
  "public_official",
  "organised_group",
  "ransom_paid",
  "other",
] as const;

/** The questions answered yes/no/partly/unknown, in the questionnaire's order. */
export const YES_NO_QUESTIONS = [
  "specialisedUnits",
  "victimAssistance",
  "familySupport",
  "antiMoneyLaunderingRansom",
  "mlaArrangements",
  "extraditionArrangements",
] as const satisfies readonly (keyof Questionnaire)[];

const STATUS_CLASS: Record<ReturnStatus, string> = {
  draft: "badge-info",
  submitted: "badge-warn",
  acknowledged: "badge-ok",
  rejected: "badge-alarm",
};

export function ReturnStatusBadge({ status }: { status: ReturnStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${STATUS_CLASS[status]}`} data-testid="return-status" data-status={status}>
      {t(`returns.status.${status}`)}
    </span>
  );
}

/** A table's title in the user's language (the node's English title when unknown). */
export function tableTitle(t: TFunction, table: Pick<StatTable, "id" | "title">): string {
  return t(`returns.table.${table.id}`, { defaultValue: table.title });
}

/** A table id alone (as the blockers name it). */
export function tableIdTitle(t: TFunction, id: string): string {
  return t(`returns.table.${id}`, { defaultValue: id });
}

export function dimLabel(t: TFunction, dim: string): string {
  return t(`returns.dim.${dim}`, { defaultValue: dim });
}

/** A category of a dimension ("020221", "ransom", "female", "abroad"…) in the user's language. */
export function categoryLabel(t: TFunction, dim: string, value: string): string {
  if (value === "unknown") return t("common.unknown");
  switch (dim) {
    case "ICCS":
      return value === "none" ? t("returns.category.noIccs") : iccsText(t, value);
    case "TYPE":
      return t(`caseType.${value}`, { defaultValue: value });
    case "OUTCOME":
      return value === "pending"
        ? t("returns.category.pending")
        : t(`outcome.${value}`, { defaultValue: value });
    case "SEX":
      return t(`sex.${value}`, { defaultValue: value });
    case "REGION":
      return value === "abroad" ? t("returns.category.abroad") : value;
    case "CITIZENSHIP":
    case "RANSOM":
    case "STAGE":
      return t(`returns.category.${value}`, { defaultValue: value });
    default:
      return value;
  }
}

/** A cell's key as "ICCS 020221 × Female". */
export function keyLabel(t: TFunction, table: Pick<StatTable, "dims">, key: readonly string[]): string {
  return key.map((v, i) => categoryLabel(t, table.dims[i] ?? "", v)).join(" × ");
}

/**
 * What blocks a submission, as the node words it, in the user's language where the
 * sentence is a known one (else as sent).
 */
export function blockerText(t: TFunction, blocker: string, tables: readonly StatTable[]): string {
  if (/^the questionnaire on legislation/.test(blocker)) return t("returns.blocker.questionnaire");
  if (/^the Secretariat \(UNODC\) is not an active peer/.test(blocker))
    return t("returns.blocker.noSecretariat");
  const already = /^it was (\w+) already$/.exec(blocker);
  if (already) {
    return t("returns.blocker.already", {
      status: t(`returns.status.${already[1]}`, { defaultValue: already[1] }),
    });
  }
  const note = /^(\w+) ?(.*?): needs a note \(/.exec(blocker);
  if (note) {
    const id = note[1] ?? "";
    const table = tables.find((x) => x.id === id);
    const key = (note[2] ?? "").split(" ").filter(Boolean);
    const where = table
      ? key.length
        ? `${tableTitle(t, table)}, ${keyLabel(t, table, key)}`
        : `${tableTitle(t, table)}, ${t("returns.total")}`
      : tableIdTitle(t, id);
    return t("returns.blocker.needsNote", { where });
  }
  const error = /^(\w+): (.*)$/.exec(blocker);
  if (error && tables.some((x) => x.id === error[1])) {
    return t("returns.blocker.error", { table: tableIdTitle(t, error[1] ?? ""), message: error[2] });
  }
  return blocker;
}

/** A yes/no/partly/unknown (or UNTOC status) answer in the user's language. */
export function answerText(t: TFunction, value: string | null | undefined): string {
  if (value === null || value === undefined) return t("returns.q.notAnswered");
  return t(`returns.answer.${value}`, { defaultValue: value });
}

/** A maximum penalty in years (99: life). */
export function penaltyText(t: TFunction, years: number | null): string {
  if (years === null) return t("returns.q.notAnswered");
  if (years >= 99) return t("returns.q.life");
  return t("returns.q.years", { n: years });
}
