/** How a case's status, marking and class are shown wherever a case appears. */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { CaseStatus, CaseView, Tlp } from "../api.ts";

const STATUS_CLASS: Record<CaseStatus, string> = {
  reported: "badge-info",
  active_crisis: "badge-alarm",
  resolved: "badge-ok",
  under_investigation: "badge-info",
  in_prosecution: "badge-info",
  closed: "badge-off",
};

export function CaseStatusBadge({ status, testId }: { status: CaseStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${STATUS_CLASS[status]}`} data-testid={testId} data-status={status}>
      {t(`caseStatus.${status}`)}
    </span>
  );
}

/** The Traffic Light Protocol marking, in the protocol's own words and colours, with its meaning. */
export function TlpBadge({ tlp, testId = "case-tlp" }: { tlp: Tlp; testId?: string }) {
  const { t } = useTranslation();
  const slug = tlp === "amber+strict" ? "amber-strict" : tlp;
  return (
    <span className={`tlp tlp-${slug}`} title={t(`tlp.${slug}`)} data-testid={testId} data-tlp={tlp}>
      <span dir="ltr">TLP:{tlp.toUpperCase()}</span>
      <span className="visually-hidden"> — {t(`tlp.${slug}`)}</span>
    </span>
  );
}

/** "ICCS 020221 Kidnapping", or that it is not an act against liberty. */
export function iccsText(t: TFunction, iccs: string | null): string {
  if (iccs === null) return t("classification.noIccs");
  return t("classification.iccs", { code: iccs, label: t(`iccs.${iccs}`, { defaultValue: iccs }) });
}

export function ClassificationLine({ classification }: { classification: CaseView["classification"] }) {
  const { t } = useTranslation();
  return (
    <span className="classification-line">
      <span className={classification.kidnapping ? "iccs iccs-kidnapping" : "iccs"}>
        {iccsText(t, classification.iccs)}
      </span>
      <span className="muted"> · {t(`caseType.${classification.type}`)}</span>
    </span>
  );
}

/**
 * The reasons the classification rules give, as they give them: in English, the
 * language of the definition (ECOSOC 2002/16) and of the rules' record.
 */
export function ClassificationReasons({ reasons }: { reasons: readonly string[] }) {
  return (
    <ol className="reasons" lang="en" dir="ltr">
      {reasons.map((r) => (
        <li key={r}>{r}</li>
      ))}
    </ol>
  );
}
