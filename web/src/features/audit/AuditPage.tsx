/**
 * The audit trail: filtered reading, newest first, and verification of the hash chain.
 * Refusals (access.refused: identical refused requests counted per minute) show their count,
 * reason and route, and can be filtered on their own, by reason and by route.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { REFUSAL_REASONS } from "../../../../src/domain/audit-events.ts";
import {
  type ApiProblem,
  type AuditEntry,
  type AuditEvent,
  type AuditVerifyResult,
  api,
  run,
} from "../../api.ts";
import {
  CheckboxField,
  PeriodFields,
  ProblemAlert,
  SelectField,
  TextField,
} from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { ALL_AUDIT_EVENTS } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { useSignedIn } from "../../session.tsx";

const PAGE_SIZE = 50;

interface Filters {
  event: string;
  actor: string;
  targetId: string;
  refusals: boolean;
  reason: string;
  route: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = {
  event: "",
  actor: "",
  targetId: "",
  refusals: false,
  reason: "",
  route: "",
  from: "",
  to: "",
};

interface AuditQuery {
  event?: AuditEvent;
  actor?: string;
  targetId?: string;
  refusals?: "true";
  reason?: string;
  route?: string;
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

/** Dates from the date inputs (local calendar days) as ISO instants: from the day's start, to its end. */
function toQuery(f: Filters, before: number | null): AuditQuery {
  const q: AuditQuery = { limit: PAGE_SIZE };
  if (f.event) q.event = f.event as AuditEvent;
  if (f.actor.trim()) q.actor = f.actor.trim();
  if (f.targetId.trim()) q.targetId = f.targetId.trim();
  if (f.refusals) q.refusals = "true";
  if (f.reason) q.reason = f.reason;
  if (f.route.trim()) q.route = f.route.trim();
  if (f.from) q.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) q.to = new Date(`${f.to}T23:59:59.999`).toISOString();
  if (before !== null) q.before = before;
  return q;
}

export function AuditPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async (f: Filters, before: number | null) => {
    const r = await run(api.GET("/api/audit", { params: { query: toQuery(f, before) } }));
    if (!r.ok) {
      setProblem(r.problem);
      return;
    }
    setProblem(null);
    setEntries((prev) => (before === null || !prev ? r.data.entries : [...prev, ...r.data.entries]));
    setNextBefore(r.data.nextBefore);
  }, []);

  useEffect(() => {
    setEntries(null);
    void load(filters, null);
  }, [load, filters]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };

  return (
    <>
      <PageTitle>{t("audit.title")}</PageTitle>
      <p className="lead">{t("audit.intro")}</p>
      {session.can("audit.verify") && <VerifyChain />}
      <section className="section" aria-labelledby="audit-entries-title">
        <h2 id="audit-entries-title">{t("audit.entriesTitle")}</h2>
        <form className="filters" onSubmit={apply} aria-label={t("audit.filtersLabel")}>
          <SelectField
            label={t("audit.event")}
            value={draft.event}
            onChange={(event) => setDraft({ ...draft, event })}
            options={[
              { value: "", label: t("audit.allEvents") },
              ...ALL_AUDIT_EVENTS.map((e) => ({ value: e, label: `${e} — ${t(`events.${e}`)}` })),
            ]}
            testId="audit-filter-event"
          />
          <TextField
            label={t("audit.actorFilter")}
            value={draft.actor}
            onChange={(actor) => setDraft({ ...draft, actor })}
            autoCapitalize="none"
            spellCheck={false}
            dir="ltr"
            testId="audit-filter-actor"
          />
          <TextField
            label={t("audit.targetId")}
            value={draft.targetId}
            onChange={(targetId) => setDraft({ ...draft, targetId })}
            autoCapitalize="none"
            spellCheck={false}
            dir="ltr"
            testId="audit-filter-target"
          />
          <CheckboxField
            label={t("auditRefusals.only")}
            hint={t("auditRefusals.onlyHelp")}
            checked={draft.refusals}
            onChange={(refusals) => setDraft({ ...draft, refusals })}
            testId="audit-filter-refusals"
          />
          <SelectField
            label={t("auditRefusals.reason")}
            value={draft.reason}
            onChange={(reason) => setDraft({ ...draft, reason })}
            options={[
              { value: "", label: t("auditRefusals.allReasons") },
              ...REFUSAL_REASONS.map((r) => ({
                value: r,
                label: `${r} — ${t(`auditRefusals.reasons.${r}`)}`,
              })),
            ]}
            testId="audit-filter-reason"
          />
          <TextField
            label={t("auditRefusals.route")}
            value={draft.route}
            onChange={(route) => setDraft({ ...draft, route })}
            autoCapitalize="none"
            spellCheck={false}
            dir="ltr"
            testId="audit-filter-route"
          />
          <PeriodFields
            unit="date"
            value={{ from: draft.from, to: draft.to }}
            onChange={(period) => setDraft({ ...draft, ...period })}
            labels={{ from: t("audit.from"), to: t("audit.to") }}
            testIds={{ from: "audit-filter-from", to: "audit-filter-to" }}
          />
          <div className="filter-actions">
            <button type="submit" className="button button-primary" data-testid="audit-filter-submit">
              {t("common.applyFilters")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              {t("common.clearFilters")}
            </button>
          </div>
        </form>
        <ProblemAlert problem={problem} />
        {entries === null ? (
          !problem && <p className="muted">{t("common.loading")}</p>
        ) : (
          <>
            <AuditTable entries={entries} />
            <div className="table-footer">
              <span className="muted small" aria-live="polite">
                {t("audit.shown", { n: entries.length })}
              </span>
              {nextBefore !== null && (
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={loadingMore}
                  data-testid="audit-older"
                  onClick={async () => {
                    setLoadingMore(true);
                    await load(filters, nextBefore);
                    setLoadingMore(false);
                  }}
                >
                  {loadingMore ? t("common.loading") : t("audit.older")}
                </button>
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <table className="data-table audit-table" data-testid="audit-table">
      <caption className="visually-hidden">{t("audit.entriesTitle")}</caption>
      <colgroup>
        <col className="col-seq" />
        <col className="col-at" />
        <col className="col-event" />
        <col className="col-actor" />
        <col className="col-target" />
        <col className="col-purpose" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t("audit.seq")}</th>
          <th scope="col">{t("audit.at")}</th>
          <th scope="col">{t("audit.event")}</th>
          <th scope="col">{t("audit.actor")}</th>
          <th scope="col">{t("audit.target")}</th>
          <th scope="col">{t("audit.purpose")}</th>
          <th scope="col">{t("audit.details")}</th>
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 && (
          <tr>
            <td colSpan={7} className="empty">
              {t("audit.none")}
            </td>
          </tr>
        )}
        {entries.map((e) => (
          <tr key={e.id} data-testid={`audit-row-${e.id}`}>
            <td className="numeric">{e.seq ?? <span className="muted small">{t("audit.unsealed")}</span>}</td>
            <td>{format.timestamp(e.at)}</td>
            <td>
              <code className="event-code" dir="ltr">
                {e.event}
              </code>
              <span className="event-label">{t(`events.${e.event}`, { defaultValue: "" })}</span>
              {e.event === "access.refused" && <RefusalSummary details={e.details} />}
            </td>
            <td>
              <span dir="auto">{e.actorLabel}</span>
              {e.ip && (
                <span className="muted small block" dir="ltr">
                  {e.ip}
                </span>
              )}
            </td>
            <td>
              {e.targetType && <span className="muted small block">{e.targetType}</span>}
              {e.targetId && (
                <code className="wrap small" dir="ltr">
                  {e.targetId}
                </code>
              )}
            </td>
            <td dir="auto">{e.purpose ?? ""}</td>
            <td>
              {Object.keys(e.details).length > 0 && (
                <code className="details-json" dir="ltr">
                  {JSON.stringify(e.details)}
                </code>
              )}
              {e.hash && (
                <span className="hash small muted block" title={e.hash}>
                  {t("audit.hash")} <span dir="ltr">{e.hash.slice(0, 12)}…</span>
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What an access.refused entry counted: how many times, why, on which route, between when. */
function RefusalSummary({ details }: { details: Record<string, unknown> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const text = (k: string) => (typeof details[k] === "string" ? (details[k] as string) : "");
  const count = typeof details.count === "number" ? details.count : 1;
  const reason = text("reason");
  const first = text("first");
  const last = text("last");
  return (
    <span className="refusal-summary block small" data-testid="audit-refusal">
      <strong className="refusal-count" data-testid="audit-refusal-count" data-count={count}>
        {t("auditRefusals.count", { n: count })}
      </strong>{" "}
      <code dir="ltr">{reason}</code>{" "}
      <span>{t(`auditRefusals.reasons.${reason}`, { defaultValue: "" })}</span>
      <span className="block">
        <code dir="ltr">
          {text("method")} {text("route")}
        </code>
      </span>
      {first && last && first !== last && (
        <span className="muted block">
          {t("auditRefusals.between", { first: format.timestamp(first), last: format.timestamp(last) })}
        </span>
      )}
    </span>
  );
}

function VerifyChain() {
  const { t } = useTranslation();
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setProblem(null);
    setResult(null);
    const r = await run(api.GET("/api/audit/verify"));
    setBusy(false);
    if (r.ok) setResult(r.data);
    else setProblem(r.problem);
  };

  return (
    <section className="panel section verify" aria-labelledby="audit-verify-title">
      <h2 id="audit-verify-title">{t("audit.verifyTitle")}</h2>
      <p className="muted">{t("audit.verifyIntro")}</p>
      <button
        type="button"
        className="button button-primary"
        disabled={busy}
        data-testid="audit-verify"
        onClick={() => void verify()}
      >
        {busy ? t("audit.verifying") : t("audit.verify")}
      </button>
      <ProblemAlert problem={problem} />
      <div aria-live="assertive" aria-atomic="true">
        {result &&
          (result.ok ? (
            <div className="alert alert-success" data-testid="audit-verify-result" data-ok="true">
              <p>
                <strong>{t("audit.verifyOk")}</strong>
              </p>
              <p>{t("audit.verifyOkDetail", { n: result.entries, seq: result.head.seq })}</p>
              {result.pending > 0 && <p>{t("audit.verifyPending", { n: result.pending })}</p>}
              <p>
                {t("audit.headHash")}{" "}
                <code className="wrap small" dir="ltr">
                  {result.head.hash}
                </code>
              </p>
            </div>
          ) : (
            <div className="alert alert-alarm" data-testid="audit-verify-result" data-ok="false">
              <p>
                <strong>{t("audit.verifyBroken")}</strong>
              </p>
              {result.firstBroken && (
                <>
                  <p>{t("audit.verifyBrokenDetail", { seq: result.firstBroken.seq })}</p>
                  <p>
                    {t("audit.reason")} <code dir="ltr">{result.firstBroken.reason}</code>
                  </p>
                </>
              )}
              <p>{t("audit.verifyBrokenAdvice")}</p>
            </div>
          ))}
      </div>
    </section>
  );
}
