/**
 * Cross-border hit/no-hit from a case: the team chooses persons and selectors of
 * the case and the partner nodes to ask, states the purpose and the legal basis,
 * and watches the answers arrive. Only keyed pseudonyms and Bloom-filter
 * encodings leave the node; a hit is a reference and a score, and what it is
 * about is disclosed only when a user of the answering node approves.
 */
import type { TFunction } from "i18next";
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  fieldMessage,
  forFields,
  type HitAnswer,
  type HitItem,
  type HitQuery,
  type HitQueryBody,
  run,
} from "../../api.ts";
import { partnerLabel } from "../../components/Federation.tsx";
import {
  CheckboxGroup,
  FieldGroup,
  fieldErrors,
  localProblem,
  ProblemAlert,
  RadioOptions,
  StatusMessage,
  TextAreaField,
} from "../../components/form/index.ts";
import { useFormat } from "../../format.ts";
import { useSignedIn } from "../../session.tsx";
import { usePartners } from "../messages/partners.tsx";

const POLL_MS = 2000;

/** The node's own reasons, in the user's language when known (else as sent). */
export function hitMessage(t: TFunction, message: string): string {
  if (/^a person is asked about with a given name and a family name/.test(message))
    return t("hits.refusal.thinPerson");
  if (/^there is no active peer to ask$/.test(message)) return t("hits.errors.noActivePeer");
  if (/^is not an item of this case$/.test(message)) return t("hits.errors.notAnItem");
  const notActive = /^([A-Z]{3}|UNODC) is not an active peer$/.exec(message);
  if (notActive) return t("hits.errors.notActivePeer", { node: notActive[1] });
  return fieldMessage(t, message);
}

/**
 * A label the node composes from a name and a value ("محمد الراشد (1990-04-02)", "Name: +52…"):
 * a left-to-right mark after the name keeps the date or number after it, whatever the name's script.
 */
export function labelText(label: string): string {
  return label.replace(/(\S)(:\s|\s\()/gu, "$1\u200e$2");
}

/** Such a label on the page: isolated, left to right. */
export function ItemLabel({ label, className }: { label: string; className?: string }) {
  return (
    <bdi dir="ltr" className={className}>
      {labelText(label)}
    </bdi>
  );
}

/** A score (0–1) as a percentage in the interface language. */
export function useScore(): (score: number) => string {
  const { i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 0 });
  return (score: number) => f.format(score);
}

/** What is still to come: answers, or the partners' decisions on hits (the list is read again every two seconds). */
function awaited(queries: readonly HitQuery[]): "answers" | "decisions" | null {
  const answers = queries.some((q) => q.answers.some((a) => a.status === "pending"));
  if (answers) return "answers";
  const decisions = queries.some((q) =>
    q.answers.some((a) => a.results.some((r) => r.hits.some((h) => h.disclosure === null))),
  );
  return decisions ? "decisions" : null;
}

type Disclosure = NonNullable<HitQuery["answers"][number]["results"][number]["hits"][number]["disclosure"]>;

/** The disclosures known, by hit reference. */
function disclosed(queries: readonly HitQuery[]): Map<string, Disclosure> {
  const out = new Map<string, Disclosure>();
  for (const q of queries)
    for (const a of q.answers)
      for (const r of a.results) for (const h of r.hits) if (h.disclosure) out.set(h.reference, h.disclosure);
  return out;
}

/** A brief read (no disclosed information) with the information already read put back. */
function withKnown(brief: HitQuery[], known: Map<string, Disclosure>): HitQuery[] {
  return brief.map((q) => ({
    ...q,
    answers: q.answers.map((a) => ({
      ...a,
      results: a.results.map((r) => ({
        ...r,
        hits: r.hits.map((h) => ({ ...h, disclosure: known.get(h.reference) ?? h.disclosure })),
      })),
    })),
  }));
}

export function HitsSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const [queries, setQueries] = useState<HitQuery[] | null>(null);
  const queriesRef = useRef<HitQuery[] | null>(null);
  queriesRef.current = queries;
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  // `brief`: without the disclosed information (not audited) — what the page polls with.
  const load = useCallback(
    async (brief = false) =>
      run(
        api.GET("/api/cases/{id}/hit-queries", {
          params: { path: { id: caseId }, query: { disclosures: brief ? "omit" : "include" } },
        }),
      ),
    [caseId],
  );

  useEffect(() => {
    let cancelled = false;
    setQueries(null);
    setProblem(null);
    void (async () => {
      const r = await load();
      if (cancelled) return;
      if (r.ok) setQueries(r.data.queries);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [load]);

  // While answers or disclosures are awaited, the list is read again every two seconds (one request at a time).
  const waitingFor = queries === null ? null : awaited(queries);
  const pending = waitingFor !== null;
  useEffect(() => {
    if (!pending) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const r = await load(true);
      if (cancelled) return;
      if (r.ok) {
        // A new disclosure: read once in full (the audited read); otherwise keep what is known.
        const known = disclosed(queriesRef.current ?? []);
        const fresh = [...disclosed(r.data.queries).keys()].some((ref) => !known.has(ref));
        const full = fresh ? await load() : null;
        if (cancelled) return;
        setQueries(full?.ok ? full.data.queries : withKnown(r.data.queries, known));
        setProblem(null);
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [pending, load]);

  const sorted = useMemo(
    () => [...(queries ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [queries],
  );

  return (
    <section className="section panel" id="case-hits" aria-labelledby="case-hits-title" data-testid="hits">
      <h2 id="case-hits-title">{t("hits.title")}</h2>
      <p className="muted">{t("hits.intro")}</p>
      <AskForm caseId={caseId} onAsked={(q) => setQueries((prev) => [q, ...(prev ?? [])])} />
      <h3 className="subsection">{t("hits.queriesTitle")}</h3>
      <ProblemAlert problem={problem} />
      <div aria-live="polite" aria-atomic="true" className="small" data-testid="hits-live">
        {queries !== null && sorted.length > 0 && (
          <p className={pending ? "hits-waiting" : "muted"} data-state={pending ? "waiting" : "done"}>
            {pending && <span className="live-dot" aria-hidden="true" />}
            {waitingFor === "answers"
              ? t("hits.waiting")
              : waitingFor === "decisions"
                ? t("hits.waitingDecisions")
                : t("hits.allIn")}
          </p>
        )}
      </div>
      {queries === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : sorted.length === 0 ? (
        <p className="empty-note">{t("hits.noQueries")}</p>
      ) : (
        <ol className="record-cards hit-queries">
          {sorted.map((q) => (
            <li key={q.id}>
              <QueryCard query={q} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

// ---- Asking ----------------------------------------------------------------------------------

function AskForm({ caseId, onAsked }: { caseId: string; onAsked: (q: HitQuery) => void }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const base = `h${useId().replace(/:/g, "")}`;
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<HitItem[] | null>(null);
  const [itemsProblem, setItemsProblem] = useState<ApiProblem | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [mode, setMode] = useState<"all" | "chosen">("all");
  const [chosen, setChosen] = useState<string[]>([]);
  const [purpose, setPurpose] = useState("");
  const [legalBasis, setLegalBasis] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [sent, setSent] = useState<HitQuery | null>(null);
  const [busy, setBusy] = useState(false);
  const exchange = session.can("federation.exchange");
  const loaded = useRef(0);

  // The items are read when the form is opened (and again at each opening: persons may have been added).
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    const n = ++loaded.current;
    void (async () => {
      const r = await run(api.GET("/api/cases/{id}/hit-items", { params: { path: { id: caseId } } }));
      if (cancelled || n !== loaded.current) return;
      if (r.ok) {
        setItems(r.data.items);
        setItemsProblem(null);
        const askable = new Set(r.data.items.filter((i) => !i.refusal).map((i) => i.key));
        setSelected((prev) => prev.filter((k) => askable.has(k)));
      } else setItemsProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [open, caseId]);

  const toggle = (key: string, on: boolean) =>
    setSelected((prev) => (on ? [...prev.filter((k) => k !== key), key] : prev.filter((k) => k !== key)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSent(null);
    const fields: Record<string, string> = {};
    if (selected.length === 0) fields.items = t("hits.errors.noItem");
    if (exchange && mode === "chosen" && chosen.length === 0) fields.peers = t("hits.errors.noPeer");
    if (!purpose.trim()) fields.purpose = "must not be empty";
    if (!legalBasis.trim()) fields.legalBasis = "must not be empty";
    if (Object.keys(fields).length > 0) {
      setProblem(localProblem(fields));
      return;
    }
    const body: HitQueryBody = {
      items: selected,
      peers: exchange && mode === "chosen" ? chosen : "all",
      purpose: purpose.trim(),
      legalBasis: legalBasis.trim(),
    };
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/hit-queries", { params: { path: { id: caseId } }, body }));
    setBusy(false);
    if (!r.ok) {
      const p = forFields(r.problem, ["items", "peers", "purpose", "legalBasis"]);
      // An item or a peer refused by index: said with its name.
      const named = (prefix: "items" | "peers", list: readonly string[], label: (v: string) => string) => {
        for (const [name, message] of Object.entries(r.problem.fields)) {
          const m = new RegExp(`^${prefix}\\.(\\d+)$`).exec(name);
          const v = m ? list[Number(m[1])] : undefined;
          if (v !== undefined) return `${label(v)}: ${hitMessage(t, message)}`;
        }
        return p.fields[prefix] ? hitMessage(t, p.fields[prefix]) : undefined;
      };
      const itemError = named("items", selected, (k) => items?.find((i) => i.key === k)?.label ?? k);
      const peerError = named("peers", Array.isArray(body.peers) ? body.peers : [], (n) => n);
      setProblem({
        ...p,
        fields: {
          ...p.fields,
          ...(itemError ? { items: itemError } : {}),
          ...(peerError ? { peers: peerError } : {}),
        },
      });
      return;
    }
    onAsked(r.data);
    setSelected([]);
    setSent(r.data);
  };

  const persons = (items ?? []).filter((i) => i.type === "person");
  const selectors = (items ?? []).filter((i) => i.type !== "person");
  const err = fieldErrors(problem);

  return (
    <details
      className="add-form"
      data-testid="hit-ask"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary data-testid="hit-ask-toggle">{t("hits.askTitle")}</summary>
      <div className="add-form-body">
        <StatusMessage
          message={
            sent &&
            t("hits.asked", {
              items: sent.items.length,
              peers: sent.answers.map((a) => a.peer).join(t("common.listSeparator")),
            })
          }
        />
        <ProblemAlert problem={problem} />
        <form
          onSubmit={(e) => void submit(e)}
          noValidate
          className="stack compact-form"
          data-testid="hit-form"
        >
          <FieldGroup
            variant="choices"
            legend={t("hits.itemsLegend")}
            hint={t("hits.itemsHint")}
            error={err("items")}
            errorTestId="hit-items-error"
            testId="hit-items"
          >
            <ProblemAlert problem={itemsProblem} />
            {items === null ? (
              !itemsProblem && <p className="muted">{t("common.loading")}</p>
            ) : items.length === 0 ? (
              <p className="empty-note" data-testid="hit-no-items">
                {t("hits.noItems")}
              </p>
            ) : (
              <>
                <ItemGroup
                  title={t("hits.persons")}
                  items={persons}
                  selected={selected}
                  onToggle={toggle}
                  base={`${base}-p`}
                />
                <ItemGroup
                  title={t("hits.selectors")}
                  items={selectors}
                  selected={selected}
                  onToggle={toggle}
                  base={`${base}-s`}
                />
              </>
            )}
          </FieldGroup>

          <FieldGroup
            variant="choices"
            legend={t("hits.peersLegend")}
            error={err("peers")}
            errorTestId="hit-peers-error"
            testId="hit-peers"
          >
            {exchange ? (
              <PeerChoice mode={mode} onMode={setMode} chosen={chosen} onChosen={setChosen} />
            ) : (
              <p className="field-hint" data-testid="hit-peers-all-only">
                {t("hits.allPartnersOnly")}
              </p>
            )}
          </FieldGroup>

          <div className="form-grid form-grid-2">
            <TextAreaField
              label={t("hits.purpose")}
              hint={t("hits.purposeHint")}
              value={purpose}
              onChange={setPurpose}
              dir="auto"
              required
              rows={2}
              error={err("purpose")}
              testId="hit-purpose"
            />
            <TextAreaField
              label={t("hits.legalBasis")}
              hint={t("hits.legalBasisHint")}
              value={legalBasis}
              onChange={setLegalBasis}
              dir="auto"
              required
              rows={2}
              error={err("legalBasis")}
              testId="hit-legal-basis"
            />
          </div>
          <div>
            <button type="submit" className="button button-primary" disabled={busy} data-testid="hit-submit">
              {busy ? t("hits.asking") : t("hits.submit")}
            </button>
          </div>
        </form>
      </div>
    </details>
  );
}

function ItemGroup({
  title,
  items,
  selected,
  onToggle,
  base,
}: {
  title: string;
  items: HitItem[];
  selected: readonly string[];
  onToggle: (key: string, on: boolean) => void;
  base: string;
}) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <div className="hit-item-group">
      <h4 className="hit-item-group-title">{title}</h4>
      <ul className="plain-list hit-item-list">
        {items.map((item, i) => {
          const id = `${base}-${i}`;
          return (
            <li key={item.key} className="checkbox" data-refused={item.refusal ? "true" : undefined}>
              <input
                type="checkbox"
                id={id}
                checked={selected.includes(item.key)}
                disabled={item.refusal !== null}
                aria-describedby={item.refusal ? `${id}-refusal` : undefined}
                data-testid={`hit-item-${item.key}`}
                onChange={(e) => onToggle(item.key, e.target.checked)}
              />
              <label htmlFor={id}>
                <ItemLabel label={item.label} />
                {item.type === "person" && item.role && (
                  <>
                    {" "}
                    <span className="badge badge-off" data-role={item.role}>
                      {t(`personRole.${item.role}`)}
                    </span>
                  </>
                )}
                {item.type !== "person" && (
                  <>
                    {" "}
                    <span className="badge badge-off">{t(`hits.itemType.${item.type}`)}</span>
                  </>
                )}
                {item.refusal && (
                  <span className="block small hit-refusal" id={`${id}-refusal`}>
                    {hitMessage(t, item.refusal)}
                  </span>
                )}
              </label>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Every active partner, or those chosen (the partners' list needs federation.exchange). */
function PeerChoice({
  mode,
  onMode,
  chosen,
  onChosen,
}: {
  mode: "all" | "chosen";
  onMode: (m: "all" | "chosen") => void;
  chosen: string[];
  onChosen: (c: string[]) => void;
}) {
  const { t } = useTranslation();
  const { partners, problem } = usePartners();
  const active = (partners ?? []).filter((p) => p.status === "active");
  return (
    <>
      <RadioOptions
        options={[
          { value: "all", label: t("hits.allPartners"), testId: "hit-peers-all" },
          { value: "chosen", label: t("hits.chosenPartners"), testId: "hit-peers-chosen" },
        ]}
        value={mode}
        onChange={onMode}
      />
      {mode === "chosen" &&
        (partners === null ? (
          problem ? (
            <ProblemAlert problem={problem} />
          ) : (
            <p className="muted">{t("common.loading")}</p>
          )
        ) : active.length > 0 ? (
          <CheckboxGroup
            legend={t("hits.activePartners")}
            options={active.map((p) => ({ value: p.nodeId, label: partnerLabel(p) }))}
            selected={chosen}
            onChange={onChosen}
            testIdPrefix="hit-peer-"
          />
        ) : (
          <p className="field-hint" data-testid="hit-no-partners">
            {t("hits.noActivePartners")}
          </p>
        ))}
    </>
  );
}

// ---- The answers -----------------------------------------------------------------------------

function QueryCard({ query }: { query: HitQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = `hit-query-${query.id}`;
  return (
    <article
      className="record-card hit-query"
      aria-labelledby={headingId}
      data-testid="hit-query"
      data-id={query.id}
    >
      <div className="record-card-head">
        <h4 id={headingId} className="hit-query-title">
          {t("hits.askedOn", { when: format.dateTime(query.createdAt) })}
        </h4>
        <span className="muted small">
          {t("hits.itemsCount", { count: query.items.length })}
          {t("common.listSeparator")}
          {t("hits.peersCount", { count: query.answers.length })}
        </span>
      </div>
      <dl className="details hit-query-details">
        <dt>{t("hits.purpose")}</dt>
        <dd dir="auto" className="pre-wrap" data-testid="hit-query-purpose">
          {query.purpose}
        </dd>
        <dt>{t("hits.legalBasis")}</dt>
        <dd dir="auto" className="pre-wrap">
          {query.legalBasis}
        </dd>
      </dl>
      {query.answers.map((a) => (
        <AnswerTable key={a.peer} query={query} answer={a} />
      ))}
    </article>
  );
}

const STATUS_CLASS: Record<HitAnswer["status"], string> = {
  pending: "badge-info",
  answered: "badge-ok",
  refused: "badge-alarm",
};

function AnswerTable({ query, answer }: { query: HitQuery; answer: HitAnswer }) {
  const { t } = useTranslation();
  const format = useFormat();
  const score = useScore();
  const results = new Map(answer.results.map((r) => [r.item, r]));
  return (
    <div className="hit-answer" data-testid={`hit-answer-${answer.peer}`} data-status={answer.status}>
      <p className="hit-answer-head">
        <bdi className="peer-id">{answer.peer}</bdi>{" "}
        <span className={`badge ${STATUS_CLASS[answer.status]}`}>
          {t(`hits.answerStatus.${answer.status}`)}
        </span>{" "}
        {answer.answeredAt && (
          <bdi className="muted small">
            <time dateTime={answer.answeredAt}>{format.dateTime(answer.answeredAt)}</time>
          </bdi>
        )}
      </p>
      {answer.status === "pending" ? (
        <p className="hits-waiting small">
          <span className="live-dot" aria-hidden="true" />
          {t("hits.awaitingAnswer", { peer: answer.peer })}
        </p>
      ) : answer.status === "refused" ? (
        <p className="small" data-testid="hit-answer-refused">
          {t("hits.refusedBy", { peer: answer.peer })}{" "}
          {answer.reason && <span dir="auto">{answer.reason}</span>}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table hit-results">
            <caption className="visually-hidden">{t("hits.answerOf", { peer: answer.peer })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("hits.col.item")}</th>
                <th scope="col">{t("hits.col.result")}</th>
              </tr>
            </thead>
            <tbody>
              {query.items.map((item) => {
                const r = results.get(item.key);
                const state = !r ? "nohit" : !r.answered ? "unanswered" : r.hits.length > 0 ? "hit" : "nohit";
                return (
                  <tr key={item.key} data-testid="hit-result" data-item={item.key} data-state={state}>
                    <td>
                      <ItemLabel label={item.label} />
                      <span className="block muted small">{t(`hits.itemType.${item.type}`)}</span>
                    </td>
                    <td>
                      {state === "unanswered" ? (
                        <span className="badge badge-off">{t("hits.notAnswered")}</span>
                      ) : state === "nohit" ? (
                        <span className="badge badge-off">{t("hits.noHit")}</span>
                      ) : (
                        <ul className="plain-list hit-list">
                          {r?.hits.map((h) => (
                            <li
                              key={h.reference}
                              data-testid="hit-hit"
                              data-disclosure={h.disclosure?.decision ?? "awaiting"}
                            >
                              <span className="badge badge-warn">{t("hits.hit")}</span>{" "}
                              <span className="small">{t("hits.score", { score: score(h.score) })}</span>{" "}
                              <code className="small muted" dir="ltr" title={h.reference}>
                                …{h.reference.slice(-8)}
                              </code>
                              <Disclosure hit={h} peer={answer.peer} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Disclosure({ hit, peer }: { hit: HitAnswer["results"][number]["hits"][number]; peer: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const d = hit.disclosure;
  if (!d) {
    return <span className="block small muted">{t("hits.awaitingDecision", { peer })}</span>;
  }
  if (d.decision === "refused") {
    return (
      <span className="block small" data-testid="hit-refused">
        <span className="badge badge-alarm">{t("hits.disclosureRefused")}</span>{" "}
        {d.reason && <span dir="auto">{d.reason}</span>}
      </span>
    );
  }
  return (
    <div className="hit-disclosure">
      <p className="small">
        <span className="badge badge-ok">{t("hits.disclosed", { peer })}</span>{" "}
        <bdi className="muted">
          <time dateTime={d.receivedAt}>{format.dateTime(d.receivedAt)}</time>
        </bdi>
      </p>
      <blockquote className="pre-wrap" dir="auto" data-testid="hit-disclosed">
        {d.information}
      </blockquote>
    </div>
  );
}
