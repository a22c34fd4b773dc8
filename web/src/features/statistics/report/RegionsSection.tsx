/**
 * The regional aggregates of the report's last year (UN M49 regions, and their
 * subregions folded): coverage, total, median and aggregate rate.
 */
import { useTranslation } from "react-i18next";
import type { GlobalReport } from "../../../api.ts";
import { useFormat } from "../../../format.ts";
import { useCount, usePercent, useRate } from "./numbers.ts";

export function RegionsSection({ report }: { report: GlobalReport }) {
  const { t } = useTranslation();
  const year = report.period.to;
  return (
    <section className="section" aria-labelledby="report-regions-title">
      <h2 id="report-regions-title">{t("report.regionsTitle", { year })}</h2>
      <p className="small muted">{t("report.regionsIntro")}</p>
      <AreaTable rows={report.regions} year={year} testId="report-regions" caption={t("report.regions")} />
      <details className="subsection">
        <summary>{t("report.subregions")}</summary>
        <AreaTable
          rows={report.subregions}
          year={year}
          testId="report-subregions"
          caption={t("report.subregions")}
        />
      </details>
    </section>
  );
}

function AreaTable({
  rows,
  year,
  testId,
  caption,
}: {
  rows: GlobalReport["regions"];
  year: number;
  testId: string;
  caption: string;
}) {
  const { t } = useTranslation();
  const rate = useRate();
  const count = useCount();
  const percent = usePercent();
  const format = useFormat();
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("report.area")}</th>
            <th scope="col" className="numeric">
              {t("report.coverage")}
            </th>
            <th scope="col" className="numeric">
              {t("report.totalCount")}
            </th>
            <th scope="col" className="numeric">
              {t("report.medianRate")}
            </th>
            <th scope="col" className="numeric">
              {t("report.aggregateRate")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                {t("report.none")}
              </td>
            </tr>
          )}
          {rows.map((r) => {
            const y = r.years.find((x) => x.year === year);
            return (
              <tr key={r.name}>
                <th scope="row">
                  <RegionName name={r.name} />
                </th>
                <td className="numeric nowrap">
                  {y
                    ? t("report.coverageOf", {
                        reporting: format.number(y.reporting),
                        expected: format.number(y.expected),
                        percent: percent(y.coverage),
                      })
                    : "—"}
                </td>
                <td className="numeric">{y && y.reporting > 0 ? count(y.totalCount) : "—"}</td>
                <td className="numeric">{rate(y?.medianRate)}</td>
                <td className="numeric">{rate(y?.aggregateRate)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A UN M49 region in the user's language where known; a subregion as the node names it (English). */
function RegionName({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const key = `report.regionName.${name}`;
  return i18n.exists(key) ? t(key) : <bdi lang="en">{name}</bdi>;
}
