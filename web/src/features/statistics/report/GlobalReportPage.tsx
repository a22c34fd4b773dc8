/**
 * The Secretary-General's global report on kidnapping (at the Secretariat): for a
 * chosen period, the figures by year (countries reporting, total, median rate and
 * its interquartile range) with trend charts, the regional aggregates, where sources
 * disagree, the annual returns received with the legal situation from their
 * questionnaires, the method and the sources; and the same report as PDF.
 */
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type GlobalReport,
  type ReceivedReturn,
  run,
  type WorldMap,
} from "../../../api.ts";
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
import { answerText, penaltyText } from "../common.tsx";

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

function useRate() {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (n: number | null | undefined) => (n === null || n === undefined ? "—" : f.format(n));
}

function usePercent() {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 0 });
  return (n: number) => f.format(n);
}

/** A count (the USA's 2021 figure is not whole: rounded for display only). */
function useCount() {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  return (n: number) => f.format(n);
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
          <YearsSection report={report} />
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

// ---- By year, with the trend charts ------------------------------------------------------------

function YearsSection({ report }: { report: GlobalReport }) {
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

interface Point {
  year: number;
  value: number | null;
  low?: number | null;
  high?: number | null;
}

/** A round step for an axis (1, 2, 2.5 or 5 times a power of ten) not below `raw`. */
function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

const W = 560;
const H = 240;
const PAD = { top: 16, right: 16, bottom: 32, left: 64 };

/** A line over the years (with an optional band), drawn as inline SVG; the table above is its text alternative. */
function TrendChart({
  title,
  points,
  format,
  band,
  testId,
}: {
  title: string;
  points: Point[];
  format: (n: number) => string;
  band?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const titleId = `c${useId().replace(/:/g, "")}`;
  const known = points.filter((p): p is Point & { value: number } => p.value !== null);
  const first = points[0]?.year ?? 0;
  const last = points[points.length - 1]?.year ?? first;
  const top = Math.max(0, ...known.map((p) => p.high ?? p.value), ...known.map((p) => p.value));
  const step = niceStep(top / 4);
  const max = Math.max(step, Math.ceil(top / step) * step);
  const x = (year: number) =>
    PAD.left + (last === first ? 0.5 : (year - first) / (last - first)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  const yearStep = Math.max(1, Math.ceil((last - first + 1) / 8));

  // Runs of consecutive known years, so a missing year breaks the line rather than bridging it.
  const runs: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (p.value === null) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) runs.push(current);

  const highest = known.reduce<(typeof known)[number] | null>(
    (a, p) => (!a || p.value > a.value ? p : a),
    null,
  );
  const firstKnown = known[0];
  const lastKnown = known[known.length - 1];
  const label =
    firstKnown && lastKnown && highest
      ? t("report.chartLabel", {
          title,
          from: firstKnown.year,
          first: format(firstKnown.value),
          to: lastKnown.year,
          last: format(lastKnown.value),
          peakYear: highest.year,
          peak: format(highest.value),
        })
      : `${title}: ${t("report.none")}`;

  return (
    <figure className="report-chart panel">
      <figcaption id={titleId}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={label}
        data-testid={testId}
        direction="ltr"
        preserveAspectRatio="xMidYMid meet"
      >
        {ticks.map((v) => (
          <g key={v}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
              className={v === 0 ? "chart-axis" : "chart-grid"}
            />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {format(v)}
            </text>
          </g>
        ))}
        {points
          .filter((p) => (p.year - first) % yearStep === 0 || p.year === last)
          .map((p) => (
            <text
              key={p.year}
              x={x(p.year)}
              y={H - PAD.bottom + 18}
              textAnchor="middle"
              className="chart-tick"
            >
              {p.year}
            </text>
          ))}
        {band &&
          runs.map((run) => {
            const withBand = run.filter((p) => p.low != null && p.high != null);
            if (withBand.length < 2) return null;
            const upper = withBand.map((p) => `${x(p.year)},${y(p.high ?? 0)}`);
            const lower = [...withBand].reverse().map((p) => `${x(p.year)},${y(p.low ?? 0)}`);
            return (
              <polygon
                key={`b${run[0]?.year}`}
                points={[...upper, ...lower].join(" ")}
                className="chart-band"
              />
            );
          })}
        {runs.map((run) => (
          <polyline
            key={`l${run[0]?.year}`}
            points={run.map((p) => `${x(p.year)},${y(p.value ?? 0)}`).join(" ")}
            className="chart-line"
          />
        ))}
        {known.map((p) => (
          <circle key={p.year} cx={x(p.year)} cy={y(p.value)} r={3} className="chart-point" />
        ))}
      </svg>
      {band && (
        <p className="chart-legend small" aria-hidden="true">
          <span className="chart-key chart-key-line" /> {t("report.medianRate")}{" "}
          <span className="chart-key chart-key-band" /> {band}
        </p>
      )}
    </figure>
  );
}

// ---- Regions -----------------------------------------------------------------------------------

function RegionsSection({ report }: { report: GlobalReport }) {
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

// ---- Countries in the last year ----------------------------------------------------------------

function CountriesSection({ report }: { report: GlobalReport }) {
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

// ---- Returns received, and the legal situation ---------------------------------------------------

function ReceivedSection({ received }: { received: ReceivedReturn[] | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  // The legal situation: each State's latest return (by year, then revision).
  const latest = useMemo(() => {
    const by = new Map<string, ReceivedReturn>();
    for (const r of received ?? []) {
      const prev = by.get(r.sender);
      if (!prev || r.year > prev.year || (r.year === prev.year && r.revision > prev.revision))
        by.set(r.sender, r);
    }
    return [...by.values()].sort((a, b) => a.sender.localeCompare(b.sender));
  }, [received]);

  return (
    <section className="section" aria-labelledby="report-received-title">
      <h2 id="report-received-title">{t("report.receivedTitle")}</h2>
      {received === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : received.length === 0 ? (
        <p className="empty-note" data-testid="report-received-none">
          {t("report.noneReceived")}
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table" data-testid="report-received">
              <caption className="visually-hidden">{t("report.receivedTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("report.sender")}</th>
                  <th scope="col">{t("report.year")}</th>
                  <th scope="col" className="numeric">
                    {t("report.revision")}
                  </th>
                  <th scope="col">{t("report.receivedAt")}</th>
                  <th scope="col">{t("report.status")}</th>
                  <th scope="col" className="numeric">
                    {t("report.observations")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {received.map((r) => (
                  <tr
                    key={r.messageId}
                    data-testid="report-received-row"
                    data-sender={r.sender}
                    data-year={r.year}
                    data-status={r.status}
                  >
                    <th scope="row">
                      <bdi className="peer-id">{r.sender}</bdi>
                    </th>
                    <td>{r.year}</td>
                    <td className="numeric">{format.number(r.revision)}</td>
                    <td>{format.dateTime(r.receivedAt)}</td>
                    <td>
                      <span className={`badge ${r.status === "accepted" ? "badge-ok" : "badge-alarm"}`}>
                        {t(`report.receivedStatus.${r.status}`)}
                      </span>
                      {r.reason && (
                        <span className="block small" dir="auto">
                          {r.reason}
                        </span>
                      )}
                    </td>
                    <td className="numeric">{format.number(r.observations)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
      )}
    </section>
  );
}

// ---- Disagreements between sources -------------------------------------------------------------

function DisagreementsSection({ report }: { report: GlobalReport }) {
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

// ---- Method and sources ------------------------------------------------------------------------

function MethodSection({ report }: { report: GlobalReport }) {
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

// ---- The world map -----------------------------------------------------------------------------

/** Light to dark, as in the PDF (ColorBrewer Reds); grey: no figure. */
const MAP_COLOURS = ["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"];
const NO_FIGURE = "#e4e4e4";

function MapSection({ period }: { period: { from: number; to: number } }) {
  const { t } = useTranslation();
  const rate = useRate();
  const [map, setMap] = useState<WorldMap | null>(null);
  useEffect(() => {
    let cancelled = false;
    setMap(null);
    void (async () => {
      const r = await run(api.GET("/api/statistics/map", { params: { query: period } }));
      if (!cancelled && r.ok) setMap(r.data);
    })();
    return () => {
      cancelled = true;
    };
  }, [period]);
  if (!map) return null;
  const withRate = map.areas.filter((a) => a.rate !== null).length;
  const legend = [
    `< ${rate(map.breaks[0] ?? 0)}`,
    ...map.breaks.slice(1).map((b, i) => `${rate(map.breaks[i] ?? 0)} – ${rate(b)}`),
    `≥ ${rate(map.breaks.at(-1) ?? 0)}`,
  ];
  return (
    <section className="section" aria-labelledby="report-map-title">
      <h2 id="report-map-title">{t("report.mapTitle", { year: map.year })}</h2>
      <figure className="panel report-map" data-testid="report-map">
        <svg
          viewBox={`0 0 ${map.width} ${map.height}`}
          role="img"
          aria-label={t("report.mapLabel", { year: map.year, n: withRate })}
        >
          {map.areas.map((a) => (
            <path
              key={`${a.area}-${a.name}`}
              d={a.d}
              fill={a.rateClass === null ? NO_FIGURE : MAP_COLOURS[a.rateClass]}
              data-area={a.area}
              data-class={a.rateClass ?? ""}
            >
              <title>
                {a.rate === null ? `${a.name}: ${t("report.mapNoFigure")}` : `${a.name}: ${rate(a.rate)}`}
              </title>
            </path>
          ))}
        </svg>
        <figcaption>
          <ul className="map-legend">
            {legend.map((label, i) => (
              <li key={label} className="map-legend-item">
                <span className="map-swatch" style={{ background: MAP_COLOURS[i] }} aria-hidden="true" />
                <span dir="ltr">{label}</span>
              </li>
            ))}
            <li className="map-legend-item">
              <span className="map-swatch" style={{ background: NO_FIGURE }} aria-hidden="true" />
              {t("report.mapNoFigure")}
            </li>
          </ul>
          <p className="muted small">{t("report.mapNote")}</p>
        </figcaption>
      </figure>
    </section>
  );
}
