/**
 * Each country's figure in the report's last year, with its source.
 */
import { useTranslation } from "react-i18next";
import type { GlobalReport } from "../../../api.ts";
import { useCount, useRate } from "./numbers.ts";

export function CountriesSection({ report }: { report: GlobalReport }) {
  const { t } = useTranslation();
  const rate = useRate();
  const count = useCount();
  const year = report.period.to;
  const rows = report.countries
    .map((c) => ({ c, s: c.series.find((s) => s.year === year) }))
    .filter((r) => r.s !== undefined);
  return (
    <section className="section" aria-labelledby="report-countries-title">
      <h2 id="report-countries-title">{t("report.countriesTitle", { year })}</h2>
      <div className="table-scroll">
        <table className="data-table" data-testid="report-countries">
          <thead>
            <tr>
              <th scope="col">{t("report.country")}</th>
              <th scope="col" className="numeric">
                {t("report.count")}
              </th>
              <th scope="col" className="numeric">
                {t("report.rate")}
              </th>
              <th scope="col">{t("report.source")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  {t("report.noCountry", { year })}
                </td>
              </tr>
            )}
            {rows.map(({ c, s }) => (
              <tr key={c.area} data-testid="report-country" data-area={c.area}>
                <th scope="row">
                  <bdi lang="en">{c.name}</bdi> <code className="muted small">{c.area}</code>
                </th>
                <td className="numeric">{s ? count(s.count) : "—"}</td>
                <td className="numeric">{rate(s?.rate)}</td>
                <td>
                  <code dir="ltr">{s?.source}</code>
                  {s?.note && (
                    <span className="block small muted" lang="en">
                      {s.note}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
