/**
 * The report's figures by year: countries reporting, the total, the median rate and
 * its interquartile range, the aggregate rate, with the trend charts of the count and
 * the rate.
 */
import { useTranslation } from "react-i18next";
import type { GlobalReport } from "../../../api.ts";
import { useFormat } from "../../../format.ts";
import { useCount, useRate } from "./numbers.ts";
import { TrendChart } from "./TrendChart.tsx";

export function FiguresSection({ report }: { report: GlobalReport }) {
  const { t } = useTranslation();
  const rate = useRate();
  const count = useCount();
  const format = useFormat();
  const years = report.years;
  return (
    <section className="section" aria-labelledby="report-years-title">
      <h2 id="report-years-title">{t("report.byYearTitle")}</h2>
      {years.length > 0 && (
        <div className="report-charts">
          <TrendChart
            title={t("report.chartCount")}
            points={years.map((y) => ({ year: y.year, value: y.reportingCountries ? y.totalCount : null }))}
            format={count}
            testId="report-chart-count"
          />
          <TrendChart
            title={t("report.chartRate")}
            points={years.map((y) => ({ year: y.year, value: y.medianRate, low: y.q1Rate, high: y.q3Rate }))}
            format={rate}
            band={t("report.iqrBand")}
            testId="report-chart-rate"
          />
        </div>
      )}
      <p className="small muted">{t("report.chartAlternative")}</p>
      <div className="table-scroll">
        <table className="data-table" data-testid="report-years">
          <caption className="visually-hidden">{t("report.byYearTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("report.year")}</th>
              <th scope="col" className="numeric">
                {t("report.reportingCountries")}
              </th>
              <th scope="col" className="numeric">
                {t("report.totalCount")}
              </th>
              <th scope="col" className="numeric">
                {t("report.medianRate")}
              </th>
              <th scope="col" className="numeric">
                {t("report.iqr")}
              </th>
              <th scope="col" className="numeric">
                {t("report.aggregateRate")}
              </th>
            </tr>
          </thead>
          <tbody>
            {years.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  {t("report.none")}
                </td>
              </tr>
            )}
            {years.map((y) => (
              <tr
                key={y.year}
                data-testid="report-year"
                data-year={y.year}
                data-reporting={y.reportingCountries}
              >
                <th scope="row">{y.year}</th>
                <td className="numeric">{format.number(y.reportingCountries)}</td>
                <td className="numeric">{y.reportingCountries > 0 ? count(y.totalCount) : "—"}</td>
                <td className="numeric">{rate(y.medianRate)}</td>
                <td className="numeric nowrap">
                  {y.q1Rate === null || y.q3Rate === null ? (
                    "—"
                  ) : (
                    <span dir="ltr">{`${rate(y.q1Rate)} – ${rate(y.q3Rate)}`}</span>
                  )}
                </td>
                <td className="numeric">{rate(y.aggregateRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">{t("report.rateNote")}</p>
    </section>
  );
}
