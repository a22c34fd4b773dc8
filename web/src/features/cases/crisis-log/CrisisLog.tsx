/**
 * The crisis log of a case (crisis team only): a timeline, oldest entry first and
 * the newest at the bottom, just above the form that records the next one. New
 * entries recorded by colleagues arrive live. Entries are never edited: a
 * correction is a new entry that points to the one it corrects. The node
 * re-checks the log's hash chain on every read and says whether it is intact.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type CrisisLogEntry, run } from "../../../api.ts";
import { ProblemAlert } from "../../../components/form/index.ts";
import { useEventStream } from "../../../live.ts";
import { useSignedIn } from "../../../session.tsx";
import { Entry, text } from "./Entry.tsx";
import { Integrity, LiveIndicator } from "./LogStatus.tsx";
import { RecordEntry } from "./RecordEntry.tsx";

/** Entries by id, in the order of the log. */
function merge(current: readonly CrisisLogEntry[], incoming: readonly CrisisLogEntry[]): CrisisLogEntry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function isEntry(value: unknown): value is CrisisLogEntry {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === "number" &&
    typeof v.seq === "number" &&
    typeof v.occurredAt === "string" &&
    typeof v.entry === "object" &&
    v.entry !== null
  );
}

export function CrisisLog({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [entries, setEntries] = useState<CrisisLogEntry[] | null>(null);
  const [verified, setVerified] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [corrects, setCorrects] = useState<CrisisLogEntry | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const loaded = useRef(false);
  /** Ids of the entries on the page: a live entry already here (e.g. my own) is not announced again. */
  const seen = useRef(new Set<number>());
  const formRef = useRef<HTMLElement>(null);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/cases/{id}/crisis-log", { params: { path: { id: caseId } } }));
    if (!r.ok) {
      setProblem(r.problem);
      return;
    }
    loaded.current = true;
    for (const e of r.data.entries) seen.current.add(e.id);
    setProblem(null);
    setVerified(r.data.verified);
    setEntries((prev) => merge(prev ?? [], r.data.entries));
  }, [caseId]);

  const { state, reconnect } = useEventStream(
    `/api/cases/${encodeURIComponent(caseId)}/crisis-log/stream`,
    ["entry"],
    {
      onEvent: (_event, data) => {
        if (!isEntry(data) || seen.current.has(data.id)) return;
        seen.current.add(data.id);
        setEntries((prev) => merge(prev ?? [], [data]));
        if (data.authorId === session.user.id) return;
        setFresh((prev) => new Set(prev).add(data.id));
        setAnnouncement(
          t("crisis.arrived", {
            seq: data.seq,
            kind: t(`crisisKind.${text(data.entry.kind)}`),
            author: data.authorLabel,
          }),
        );
      },
    },
  );

  // The log is read whenever the stream (re)opens — nothing recorded while it was being
  // opened, or while it was down, is missed — and once when live updates are not available.
  useEffect(() => {
    if (state === "live" || (state === "offline" && !loaded.current)) void load();
  }, [state, load]);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (!loaded.current) void load();
    }, 3000);
    return () => window.clearTimeout(timer);
  }, [load]);

  const recorded = (entry: CrisisLogEntry) => {
    seen.current.add(entry.id);
    setEntries((prev) => merge(prev ?? [], [entry]));
    setCorrects(null);
  };

  const startCorrection = (entry: CrisisLogEntry) => {
    setCorrects(entry);
    formRef.current?.scrollIntoView({ block: "start" });
    formRef.current?.querySelector<HTMLElement>("h3")?.focus();
  };

  const seqOf = new Map((entries ?? []).map((e) => [e.id, e.seq]));
  const idOf = new Map((entries ?? []).map((e) => [e.seq, e.id]));
  const correctedBy = new Map<number, number[]>();
  for (const e of entries ?? []) {
    if (e.corrects !== null) correctedBy.set(e.corrects, [...(correctedBy.get(e.corrects) ?? []), e.seq]);
  }

  return (
    <section className="section crisis" aria-labelledby="crisis-title">
      <div className="section-head">
        <h2 id="crisis-title">{t("crisis.title")}</h2>
        <div className="badges">
          <LiveIndicator state={state} onReconnect={reconnect} />
          <Integrity verified={verified} onCheck={() => void load()} />
        </div>
      </div>
      <p className="muted">{t("crisis.intro")}</p>
      <ProblemAlert problem={problem} />
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {entries === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <ol className="timeline" data-testid="crisis-log" aria-label={t("crisis.listLabel")}>
          {entries.length === 0 && <li className="timeline-empty muted">{t("crisis.none")}</li>}
          {entries.map((e) => (
            <Entry
              key={e.id}
              entry={e}
              fresh={fresh.has(e.id)}
              correctsSeq={e.corrects === null ? null : (seqOf.get(e.corrects) ?? null)}
              correctedBy={correctedBy.get(e.id) ?? []}
              onCorrect={() => startCorrection(e)}
              idOf={idOf}
            />
          ))}
        </ol>
      )}
      <RecordEntry
        caseId={caseId}
        corrects={corrects}
        onCancelCorrection={() => setCorrects(null)}
        onRecorded={recorded}
        sectionRef={formRef}
      />
    </section>
  );
}
