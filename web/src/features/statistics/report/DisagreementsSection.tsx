/**
 * Where the sources disagree on a country's figure for a year, by how much.
 */
import { useTranslation } from "react-i18next";
import type { GlobalReport } from "../../../api.ts";
import { useCount, usePercent, useRate } from "./numbers.ts";

export function DisagreementsSection({ report }: { report: GlobalReport }) {
  const { t } = useTranslation();
  const rate = useRate();
  const count = useCount();
  const percent = usePercent();
  const names = new Map(report.countries.map((c) => [c.area, c.name]));
  return (
    <section className="section" aria-labelledby="report-disagreements-title">
      <h2 id="report-disagreements-title">{t("report.disagreementsTitle")}</h2>
      <p className="small muted">{t("report.disagreementsIntro")}</p>
      {report.disagreements.length === 0 ? (
        <p className="empty-note">{t("report.noDisagreement")}</p>
      ) : (
        <details>
          <summary data-testid="report-disagreements-summary">
            {t("report.disagreementsCount", { n: report.disagreements.length })}
          </summary>
          <div className="table-scroll">
            <table className="data-table" data-testid="report-disagreements">
              <caption className="visually-hidden">{t("report.disagreementsTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("report.country")}</th>
                  <th scope="col">{t("report.year")}</th>
                  <th scope="col">{t("report.unit")}</th>
                  <th scope="col">{t("report.values")}</th>
                  <th scope="col" className="numeric">
                    {t("report.difference")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.disagreements.map((d) => (
                  <tr key={`${d.area}-${d.year}-${d.unit}`}>
                    <th scope="row">
                      <bdi lang="en">{names.get(d.area) ?? d.area}</bdi>{" "}
                      <code className="muted small">{d.area}</code>
                    </th>
                    <td>{d.year}</td>
                    <td>{t(`report.unitName.${d.unit}`)}</td>
                    <td>
                      <ul className="plain-list">
                        {d.values.map((v) => (
                          <li key={v.source}>
                            <code dir="ltr">{v.source}</code>:{" "}
                            {d.unit === "NR" ? count(v.value) : rate(v.value)}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="numeric">{percent(d.relativeDifference)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}
