/**
 * Statistics: anonymised counts over all of the node's cases (by year, status,
 * ICCS code, type, outcome and region) for the statistics focal point and the
 * analysts — never a case, a name or a place below the first-level region.
 * Every read is audited by the node.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type CaseStatistics, run } from "../../api.ts";
import { iccsText } from "../../components/CaseBadges.tsx";
import {
  localProblem,
  type PeriodDraft,
  PeriodPicker,
  ProblemAlert,
  parsePeriod,
  queryProblem,
} from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { ALL_CASE_STATUSES, ALL_OUTCOMES, OPERATIONAL_TYPES } from "../../constants.ts";
import { useFormat } from "../../format.ts";

interface Range {
  from?: number;
  to?: number;
}

export function StatisticsPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PeriodDraft>({ from: "", to: "" });
  const [range, setRange] = useState<Range>({});
  const [stats, setStats] = useState<CaseStatistics | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setBusy(true);
    void (async () => {
      const r = await run(api.GET("/api/cases/statistics", { params: { query: range } }));
      if (cancelled) return;
      setBusy(false);
      if (r.ok) {
        setStats(r.data);
        setProblem(null);
      } else {
        // The period's errors are the query's: shown next to their inputs.
        setProblem(queryProblem(r.problem, ["from", "to"]));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [range]);

  const apply = () => {
    const period = parsePeriod(draft);
    if (!period.ok) {
      setProblem(localProblem(period.fields));
      return;
    }
    const next: Range = {};
    if (period.from !== null) next.from = period.from;
    if (period.to !== null) next.to = period.to;
    setRange(next);
  };

  return (
    <>
      <PageTitle>{t("statistics.title")}</PageTitle>
      <p className="lead">{t("statistics.intro")}</p>
      <PeriodPicker
        formLabel={t("statistics.rangeLabel")}
        labels={{ from: t("statistics.fromYear"), to: t("statistics.toYear") }}
        applyLabel={t("statistics.apply")}
        value={draft}
        onChange={setDraft}
        onApply={apply}
        errors={problem?.fields}
        testIds={{ from: "stats-from", to: "stats-to", apply: "stats-submit" }}
      >
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setDraft({ from: "", to: "" });
            setRange({});
          }}
        >
          {t("statistics.allYears")}
        </button>
      </PeriodPicker>
      <ProblemAlert problem={problem} />
      {stats === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <Tables stats={stats} range={range} busy={busy} />
      )}
    </>
  );
}

function Tables({ stats, range, busy }: { stats: CaseStatistics; range: Range; busy: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const period =
    range.from !== undefined && range.to !== undefined
      ? t("statistics.periodBetween", { from: range.from, to: range.to })
      : range.from !== undefined
        ? t("statistics.periodFrom", { from: range.from })
        : range.to !== undefined
          ? t("statistics.periodTo", { to: range.to })
          : t("statistics.periodAll");
  const ordered = (counts: Record<string, number | null>, known: readonly string[]) => [
    ...known.filter((k) => counts[k] !== undefined).map((k) => [k, counts[k] ?? null] as const),
    ...Object.entries(counts).filter(([k]) => !known.includes(k)),
  ];
  return (
    <div aria-busy={busy}>
      <p className="stats-total" data-testid="stats-total" aria-live="polite">
        <span className="muted">{period}</span>
        <strong>{t("statistics.total", { n: format.number(stats.total) })}</strong>
      </p>
      {stats.minCell > 1 && (
        <p className="muted" data-testid="stats-withheld-note">
          {t("statistics.withheldNote", { n: format.number(stats.minCell) })}
        </p>
      )}
      <div className="stats-grid">
        <section className="panel" aria-labelledby="stats-year-title">
          <h2 id="stats-year-title">{t("statistics.byYear")}</h2>
          <table className="data-table" data-testid="stats-by-year">
            <thead>
              <tr>
                <th scope="col">{t("statistics.year")}</th>
                <th scope="col" className="numeric">
                  {t("statistics.cases")}
                </th>
                <th scope="col" className="numeric">
                  {t("statistics.kidnappings")}
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.byYear.length === 0 && <EmptyRow span={3} />}
              {stats.byYear.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  <td className="numeric">
                    <Count n={y.cases} min={stats.minCell} />
                  </td>
                  <td className="numeric">
                    <Count n={y.kidnappings} min={stats.minCell} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <CountTable
          min={stats.minCell}
          id="stats-status"
          title={t("statistics.byStatus")}
          rows={ordered(stats.byStatus, ALL_CASE_STATUSES).map(([k, n]) => [
            t(`caseStatus.${k}`, { defaultValue: k }),
            n,
          ])}
        />
        <CountTable
          min={stats.minCell}
          id="stats-iccs"
          title={t("statistics.byIccs")}
          rows={ordered(stats.byIccs, ["020221", "020222", "02021"]).map(([k, n]) => [
            k === "none" ? iccsText(t, null) : iccsText(t, k),
            n,
          ])}
        />
        <CountTable
          min={stats.minCell}
          id="stats-type"
          title={t("statistics.byType")}
          rows={ordered(stats.byType, OPERATIONAL_TYPES).map(([k, n]) => [
            t(`caseType.${k}`, { defaultValue: k }),
            n,
          ])}
        />
        <CountTable
          min={stats.minCell}
          id="stats-outcome"
          title={t("statistics.byOutcome")}
          rows={ordered(stats.byOutcome, ALL_OUTCOMES).map(([k, n]) => [
            k === "none" ? t("statistics.noOutcome") : t(`outcome.${k}`, { defaultValue: k }),
            n,
          ])}
        />
        <section className="panel" aria-labelledby="stats-region-title">
          <h2 id="stats-region-title">{t("statistics.byRegion")}</h2>
          <table className="data-table" data-testid="stats-by-region">
            <thead>
              <tr>
                <th scope="col">{t("statistics.country")}</th>
                <th scope="col">{t("statistics.region")}</th>
                <th scope="col" className="numeric">
                  {t("statistics.cases")}
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.byRegion.length === 0 && <EmptyRow span={3} />}
              {stats.byRegion.map((r) => (
                <tr key={`${r.country}:${r.region ?? ""}`}>
                  <td dir="ltr">{r.country}</td>
                  <td dir="auto">{r.region ?? <span className="muted">{t("statistics.noRegion")}</span>}</td>
                  <td className="numeric">
                    <Count n={r.cases} min={stats.minCell} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}

function EmptyRow({ span }: { span: number }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td colSpan={span} className="empty">
        {t("statistics.none")}
      </td>
    </tr>
  );
}

/** A count, or "fewer than N" where the node withholds it. */
function Count({ n, min }: { n: number | null; min: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (n !== null) return <>{format.number(n)}</>;
  return (
    <span className="muted" data-testid="stats-withheld">
      {t("statistics.withheld", { n: format.number(min) })}
    </span>
  );
}

function CountTable({
  id,
  title,
  rows,
  min,
}: {
  id: string;
  title: string;
  rows: (readonly [string, number | null])[];
  min: number;
}) {
  const { t } = useTranslation();

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <table className="data-table" data-testid={id}>
        <thead>
          <tr>
            <th scope="col">{t("statistics.category")}</th>
            <th scope="col" className="numeric">
              {t("statistics.cases")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && <EmptyRow span={2} />}
          {rows.map(([label, n]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="numeric">
                <Count n={n} min={min} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
