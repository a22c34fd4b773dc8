/**
 * The Secretary-General's global report on kidnapping (at the Secretariat): for a
 * chosen period, the figures by year (countries reporting, total, median rate and
 * its interquartile range) with trend charts, the regional aggregates, where sources
 * disagree, the annual returns received with the legal situation from their
 * questionnaires, the method and the sources; and the same report as PDF.
 */
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { type ApiProblem, api, type GlobalReport, type ReceivedReturn, run } from "../../../api.ts";
import {
  localProblem,
  type PeriodDraft,
  PeriodPicker,
  ProblemAlert,
  parsePeriod,
  queryProblem,
} from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { useFormat } from "../../../format.ts";
import { CountriesSection } from "./CountriesSection.tsx";
import { DisagreementsSection } from "./DisagreementsSection.tsx";
import { FiguresSection } from "./FiguresSection.tsx";
import { MapSection } from "./MapSection.tsx";
import { MethodSection } from "./MethodSection.tsx";
import { ReceivedSection } from "./ReceivedSection.tsx";
import { RegionsSection } from "./RegionsSection.tsx";

const FIRST_YEAR = 2003;

interface Period {
  from: number;
  to: number;
}

function periodOf(params: URLSearchParams): Period {
  const now = new Date().getFullYear();
  const num = (v: string | null, d: number) => (v && /^\d{4}$/.test(v) ? Number(v) : d);
  return { from: num(params.get("from"), FIRST_YEAR), to: num(params.get("to"), now) };
}

export function GlobalReportPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const period = useMemo(() => periodOf(params), [params]);
  const [draft, setDraft] = useState<PeriodDraft>({ from: String(period.from), to: String(period.to) });
  const [report, setReport] = useState<GlobalReport | null>(null);
  const [received, setReceived] = useState<ReceivedReturn[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setBusy(true);
    void (async () => {
      const [r, rr] = await Promise.all([
        run(api.GET("/api/statistics/report", { params: { query: period } })),
        run(api.GET("/api/statistics/received")),
      ]);
      if (cancelled) return;
      setBusy(false);
      if (rr.ok) setReceived(rr.data.returns);
      if (r.ok) {
        setReport(r.data);
        setProblem(rr.ok ? null : rr.problem);
        return;
      }
      // The period's errors are the query's: shown next to their inputs.
      setProblem(queryProblem(r.problem, ["from", "to"]));
    })();
    return () => {
      cancelled = true;
    };
  }, [period]);

  const apply = () => {
    const typed = parsePeriod(draft, { required: true, ordered: true });
    if (!typed.ok) {
      setProblem(localProblem(typed.fields));
      return;
    }
    setProblem(null);
    setParams({ from: String(typed.from), to: String(typed.to) });
  };

  const pdf = `/api/statistics/report.pdf?from=${period.from}&to=${period.to}`;
  const sdmx = `/api/statistics/report.sdmx?from=${period.from}&to=${period.to}`;

  return (
    <>
      <div className="page-head">
        <PageTitle>{t("report.title")}</PageTitle>
        <div className="page-actions">
          <a className="button button-secondary" href={pdf} download data-testid="report-pdf">
            {t("report.downloadPdf")}
          </a>
          <a
            className="button button-secondary"
            href={`${sdmx}&format=csv`}
            download
            data-testid="report-sdmx-csv"
          >
            {t("report.downloadSdmxCsv")}
          </a>
          <a
            className="button button-secondary"
            href={`${sdmx}&format=json`}
            download
            data-testid="report-sdmx-json"
          >
            {t("report.downloadSdmxJson")}
          </a>
        </div>
      </div>
      <p className="lead">{t("report.intro")}</p>
      <PeriodPicker
        formLabel={t("report.periodLabel")}
        labels={{ from: t("report.from"), to: t("report.to") }}
        applyLabel={t("report.apply")}
        value={draft}
        onChange={setDraft}
        onApply={apply}
        errors={problem?.fields}
        testIds={{ from: "report-from", to: "report-to", apply: "report-apply" }}
      />
      <ProblemAlert problem={problem} />
      {report === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <div aria-busy={busy} data-testid="report" data-from={report.period.from} data-to={report.period.to}>
          <p className="muted small">
            {t("report.generated", {
              from: report.period.from,
              to: report.period.to,
              at: format.dateTime(report.generatedAt),
            })}
          </p>
          <FiguresSection report={report} />
          <MapSection period={report.period} />
          <RegionsSection report={report} />
          <CountriesSection report={report} />
          <ReceivedSection received={received} />
          <DisagreementsSection report={report} />
          <MethodSection report={report} />
        </div>
      )}
    </>
  );
}
