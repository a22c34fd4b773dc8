/**
 * My cases: the cases whose team I am on (need-to-know), narrowed by status,
 * type, ICCS code, place and reporting dates, and searched by reference, name
 * (any script), phone, IBAN, crypto wallet or vehicle plate with the same
 * filters. What is applied lives in the address, so it survives a reload and
 * the way back from a case.
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { type ApiProblem, api, type CaseFilters, type CaseView, run, type SearchHit } from "../../api.ts";
import { CaseStatusBadge, ClassificationLine, TlpBadge } from "../../components/CaseBadges.tsx";
import {
  localProblem,
  PeriodFields,
  ProblemAlert,
  queryProblem,
  SelectField,
  TextField,
} from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { ALL_CASE_STATUSES, ICCS_CODES, OPERATIONAL_TYPES } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { useSignedIn } from "../../session.tsx";

const FILTER_KEYS = ["status", "type", "iccs", "country", "region", "from", "to"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Draft = Record<FilterKey | "q", string>;
const EMPTY: Draft = { q: "", status: "", type: "", iccs: "", country: "", region: "", from: "", to: "" };

function draftOf(params: URLSearchParams): Draft {
  const d = { ...EMPTY };
  for (const key of [...FILTER_KEYS, "q"] as const) d[key] = params.get(key) ?? "";
  return d;
}

/** The applied filters as the API's query (empty ones left out). */
function filtersOf(d: Draft): Omit<CaseFilters, "limit"> {
  const f: Record<string, string> = {};
  for (const key of FILTER_KEYS) if (d[key].trim()) f[key] = d[key].trim();
  return f as Omit<CaseFilters, "limit">;
}

type Loaded = { kind: "list"; cases: CaseView[] } | { kind: "search"; hits: SearchHit[] };

export function CasesPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const applied = draftOf(params);
  const appliedKey = params.toString();
  const [draft, setDraft] = useState<Draft>(applied);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  /** The query this form just applied (so that the reload does not reset what was typed since). */
  const submitted = useRef<string | null>(null);

  // What is applied comes from the address; a change of it (submit, back, forward) reloads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: appliedKey stands for the parameters; reloads reads again
  useEffect(() => {
    const a = draftOf(new URLSearchParams(appliedKey));
    // The form shows what is applied when the address changed by itself (back, forward, a link);
    // after its own submit it already does, and what was typed since is kept.
    if (appliedKey !== submitted.current) setDraft(a);
    submitted.current = null;
    let cancelled = false;
    setBusy(true);
    void (async () => {
      const filters = filtersOf(a);
      const q = a.q.trim();
      const r = q
        ? await run(api.GET("/api/cases/search", { params: { query: { ...filters, q } } }))
        : await run(api.GET("/api/cases", { params: { query: filters } }));
      if (cancelled) return;
      setBusy(false);
      if (!r.ok) {
        setProblem(queryProblem(r.problem));
        setLoaded(null);
        return;
      }
      setProblem(null);
      setLoaded(
        "hits" in r.data ? { kind: "search", hits: r.data.hits } : { kind: "list", cases: r.data.cases },
      );
    })();
    return () => {
      cancelled = true;
    };
  }, [appliedKey, reloads]);

  const set = (key: keyof Draft) => (value: string) => setDraft((prev) => ({ ...prev, [key]: value }));
  const err = (key: keyof Draft) => problem?.fields[key];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.q.trim().length === 1) {
      setProblem(localProblem({ q: "must be at least 2 characters" }));
      return;
    }
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(draft)) if (value.trim()) next.set(key, value.trim());
    // The same query again reads afresh (another member may have changed a case).
    if (next.toString() === appliedKey) setReloads((n) => n + 1);
    else {
      submitted.current = next.toString();
      setParams(next);
    }
  };

  const clear = () => {
    setDraft(EMPTY);
    if (appliedKey) setParams(new URLSearchParams());
  };

  const searching = applied.q.trim() !== "";
  const filtered = FILTER_KEYS.some((k) => applied[k]);

  return (
    <>
      <div className="page-head">
        <PageTitle>{t("cases.title")}</PageTitle>
        {session.can("cases.create") && (
          <Link to="/cases/new" className="button button-primary" data-testid="case-new">
            {t("cases.new")}
          </Link>
        )}
      </div>
      <p className="lead">{t("cases.intro")}</p>
      <section aria-labelledby="cases-list-title" className="section">
        <h2 id="cases-list-title" className="visually-hidden">
          {t("cases.listTitle")}
        </h2>
        <form
          className="filters case-filters"
          onSubmit={apply}
          noValidate
          aria-label={t("cases.filtersLabel")}
        >
          <TextField
            type="search"
            fieldClassName="filter-search"
            label={t("cases.search")}
            hint={t("cases.searchHint")}
            value={draft.q}
            onChange={set("q")}
            autoComplete="off"
            spellCheck={false}
            dir="auto"
            error={err("q")}
            testId="cases-search"
          />
          <SelectField
            label={t("cases.filterStatus")}
            value={draft.status}
            onChange={set("status")}
            options={[
              { value: "", label: t("cases.allStatuses") },
              ...ALL_CASE_STATUSES.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
            ]}
            error={err("status")}
            testId="cases-filter-status"
          />
          <SelectField
            label={t("cases.filterType")}
            value={draft.type}
            onChange={set("type")}
            options={[
              { value: "", label: t("cases.allTypes") },
              ...OPERATIONAL_TYPES.map((x) => ({ value: x, label: t(`caseType.${x}`) })),
            ]}
            error={err("type")}
            testId="cases-filter-type"
          />
          <SelectField
            label={t("cases.filterIccs")}
            value={draft.iccs}
            onChange={set("iccs")}
            options={[
              { value: "", label: t("cases.allIccs") },
              ...ICCS_CODES.map((c) => ({ value: c, label: `${c} ${t(`iccs.${c}`)}` })),
            ]}
            error={err("iccs")}
            testId="cases-filter-iccs"
          />
          <TextField
            label={t("cases.filterCountry")}
            value={draft.country}
            onChange={(v) => set("country")(v.toUpperCase())}
            maxLength={3}
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            error={err("country")}
            testId="cases-filter-country"
          />
          <TextField
            label={t("cases.filterRegion")}
            value={draft.region}
            onChange={set("region")}
            autoComplete="off"
            dir="auto"
            error={err("region")}
            testId="cases-filter-region"
          />
          <PeriodFields
            unit="date"
            value={{ from: draft.from, to: draft.to }}
            onChange={(period) => setDraft((prev) => ({ ...prev, ...period }))}
            labels={{ from: t("cases.filterFrom"), to: t("cases.filterTo") }}
            errors={{ from: err("from"), to: err("to") }}
            testIds={{ from: "cases-filter-from", to: "cases-filter-to" }}
          />
          <div className="filter-actions">
            <button type="submit" className="button button-primary" data-testid="cases-filter-submit">
              {draft.q.trim() ? t("cases.searchSubmit") : t("common.applyFilters")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={clear}
              data-testid="cases-filter-clear"
            >
              {t("common.clearFilters")}
            </button>
          </div>
        </form>
        <ProblemAlert problem={problem} />
        {loaded === null ? (
          !problem && <p className="muted">{t("common.loading")}</p>
        ) : loaded.kind === "search" ? (
          <SearchResults hits={loaded.hits} q={applied.q} filtered={filtered} busy={busy} />
        ) : (
          <CasesTable cases={loaded.cases} filtered={filtered || searching} busy={busy} />
        )}
      </section>
    </>
  );
}

function CasesTable({ cases, filtered, busy }: { cases: CaseView[]; filtered: boolean; busy: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <p className="muted small" aria-live="polite">
        {busy ? t("common.loading") : t("cases.count", { n: cases.length })}
      </p>
      <table className="data-table" data-testid="cases-table">
        <caption className="visually-hidden">{t("cases.listTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("case.reference")}</th>
            <th scope="col">{t("case.title")}</th>
            <th scope="col">{t("case.status")}</th>
            <th scope="col">{t("case.classification")}</th>
            <th scope="col">{t("case.place")}</th>
            <th scope="col">{t("case.reportedAt")}</th>
            <th scope="col">{t("case.myRole")}</th>
          </tr>
        </thead>
        <tbody>
          {cases.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                {filtered ? t("cases.none") : t("cases.noneAtAll")}
              </td>
            </tr>
          )}
          {cases.map((c) => (
            <tr key={c.id} data-testid={`case-row-${c.reference}`}>
              <td className="nowrap">
                <Link to={`/cases/${c.id}`} dir="ltr">
                  {c.reference}
                </Link>
              </td>
              <td>
                <span dir="auto">{c.title}</span>
                <span className="block">
                  <TlpBadge tlp={c.tlp} />
                </span>
              </td>
              <td>
                <CaseStatusBadge status={c.status} />
                {c.outcome && <span className="muted small block">{t(`outcome.${c.outcome}`)}</span>}
              </td>
              <td>
                <ClassificationLine classification={c.classification} />
              </td>
              <td>
                <PlaceCell place={c.place} />
              </td>
              <td>{format.dateTime(c.reportedAt)}</td>
              <td>{t(`caseRole.${c.myRole}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function PlaceCell({ place }: { place: CaseView["place"] }) {
  return (
    <>
      <span dir="ltr">{place.country}</span>
      {place.region && (
        <span className="block small" dir="auto">
          {place.region}
        </span>
      )}
    </>
  );
}

function SearchResults({
  hits,
  q,
  filtered,
  busy,
}: {
  hits: SearchHit[];
  q: string;
  filtered: boolean;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <p className="muted small" aria-live="polite" data-testid="cases-search-count">
        {busy
          ? t("common.loading")
          : filtered
            ? t("cases.hitsFiltered", { n: hits.length, q })
            : t("cases.hits", { n: hits.length, q })}
      </p>
      <table className="data-table" data-testid="cases-search-results">
        <caption className="visually-hidden">{t("cases.searchResults")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("case.reference")}</th>
            <th scope="col">{t("case.title")}</th>
            <th scope="col">{t("cases.matchedOn")}</th>
            <th scope="col">{t("case.status")}</th>
            <th scope="col">{t("case.classification")}</th>
            <th scope="col">{t("case.reportedAt")}</th>
          </tr>
        </thead>
        <tbody>
          {hits.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                {t("cases.noHits")}
              </td>
            </tr>
          )}
          {hits.map((h) => (
            <tr
              key={`${h.case.id}:${h.matchedOn}:${h.person ?? ""}`}
              data-testid={`search-hit-${h.case.reference}`}
            >
              <td className="nowrap">
                <Link to={`/cases/${h.case.id}`} dir="ltr">
                  {h.case.reference}
                </Link>
              </td>
              <td>
                <span dir="auto">{h.case.title}</span>
                <span className="block">
                  <TlpBadge tlp={h.case.tlp} />
                </span>
              </td>
              <td data-testid="search-matched-on" data-matched={h.matchedOn}>
                <span className="badge badge-info">{t(`matchedOn.${h.matchedOn}`)}</span>
                {h.person && (
                  <bdi className="block small" data-testid="search-person">
                    {h.person}
                  </bdi>
                )}
              </td>
              <td>
                <CaseStatusBadge status={h.case.status} />
                {h.case.outcome && (
                  <span className="muted small block">{t(`outcome.${h.case.outcome}`)}</span>
                )}
              </td>
              <td>
                <ClassificationLine classification={h.case.classification} />
              </td>
              <td>{format.dateTime(h.case.reportedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
