/**
 * Cross-border hit/no-hit from a case: the team chooses persons and selectors of
 * the case and the partner nodes to ask, states the purpose and the legal basis,
 * and watches the answers arrive. Only keyed pseudonyms and Bloom-filter
 * encodings leave the node; a hit is a reference and a score, and what it is
 * about is disclosed only when a user of the answering node approves.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type HitQuery, run } from "../../api.ts";
import { ProblemAlert } from "../../components/form/index.ts";
import { AskForm } from "./AskForm.tsx";
import { QueryCard } from "./QueryCard.tsx";

const POLL_MS = 2000;

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
