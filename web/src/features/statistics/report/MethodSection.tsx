/**
 * How the report is computed (in English, as the node states it) and its sources,
 * each with its attribution and the number of observations it gave.
 */
import { useTranslation } from "react-i18next";
import type { GlobalReport } from "../../../api.ts";
import { useFormat } from "../../../format.ts";

export function MethodSection({ report }: { report: GlobalReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="columns">
      <section className="panel" aria-labelledby="report-method-title">
        <h2 id="report-method-title">{t("report.methodTitle")}</h2>
        <p className="small muted">{t("report.englishNote")}</p>
        <ul className="permission-list small" lang="en" dir="ltr" data-testid="report-method">
          {report.method.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="report-sources-title">
        <h2 id="report-sources-title">{t("report.sourcesTitle")}</h2>
        <dl className="report-sources" data-testid="report-sources">
          {report.sources.map((s) => (
            <div key={s.source}>
              <dt>
                <code dir="ltr">{s.source}</code>{" "}
                <span className="muted small">
                  {t("report.observationsN", { n: format.number(s.observations) })}
                </span>
              </dt>
              <dd className="source-attribution small" lang="en" dir="ltr">
                {s.attribution}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
