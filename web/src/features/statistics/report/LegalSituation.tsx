/**
 * The legal situation in the States that sent a return, from each one's latest
 * questionnaire (by year, then revision): whether kidnapping is criminalised, the
 * maximum penalty and whether it makes a serious crime (four years or more, UNTOC
 * art. 2(b)), UNTOC status, specialised units and victim assistance.
 */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ReceivedReturn } from "../../../api.ts";
import { answerText, penaltyText } from "../common.tsx";

export function LegalSituation({ received }: { received: readonly ReceivedReturn[] }) {
  const { t } = useTranslation();
  // The legal situation: each State's latest return (by year, then revision).
  const latest = useMemo(() => {
    const by = new Map<string, ReceivedReturn>();
    for (const r of received) {
      const prev = by.get(r.sender);
      if (!prev || r.year > prev.year || (r.year === prev.year && r.revision > prev.revision))
        by.set(r.sender, r);
    }
    return [...by.values()].sort((a, b) => a.sender.localeCompare(b.sender));
  }, [received]);

  return (
    <>
      <h3 className="subsection" id="report-legal-title">
        {t("report.legalTitle")}
      </h3>
      <p className="small muted">{t("report.legalIntro")}</p>
      <div className="table-scroll">
        <table className="data-table" data-testid="report-legal" aria-labelledby="report-legal-title">
          <thead>
            <tr>
              <th scope="col">{t("report.sender")}</th>
              <th scope="col">{t("report.year")}</th>
              <th scope="col">{t("report.legal.criminalised")}</th>
              <th scope="col">{t("report.legal.maxPenalty")}</th>
              <th scope="col">{t("report.legal.serious")}</th>
              <th scope="col">{t("report.legal.untoc")}</th>
              <th scope="col">{t("report.legal.units")}</th>
              <th scope="col">{t("report.legal.victims")}</th>
            </tr>
          </thead>
          <tbody>
            {latest.map((r) => (
              <tr key={r.sender} data-testid="report-legal-row" data-sender={r.sender}>
                <th scope="row">
                  <bdi className="peer-id">{r.sender}</bdi>
                </th>
                <td>{r.year}</td>
                <td>{answerText(t, r.questionnaire.criminalised)}</td>
                <td>{penaltyText(t, r.questionnaire.maxPenaltyYears ?? null)}</td>
                <td data-testid="report-legal-serious">
                  {r.seriousCrime === null ? (
                    <span className="muted">{t("common.unknown")}</span>
                  ) : r.seriousCrime ? (
                    <span className="badge badge-ok">{t("common.yes")}</span>
                  ) : (
                    <span className="badge badge-warn">{t("common.no")}</span>
                  )}
                </td>
                <td>{answerText(t, r.questionnaire.untocParty)}</td>
                <td>{answerText(t, r.questionnaire.specialisedUnits)}</td>
                <td>{answerText(t, r.questionnaire.victimAssistance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
