/**
 * The crisis log of a case (crisis team only): a timeline, oldest entry first and
 * the newest at the bottom, just above the form that records the next one. New
 * entries recorded by colleagues arrive live. Entries are never edited: a
 * correction is a new entry that points to the one it corrects. The node
 * re-checks the log's hash chain on every read and says whether it is intact.
 */
import { type FormEvent, type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CrisisEntryContent,
  type CrisisLogBody,
  type CrisisLogEntry,
  forFields,
  run,
} from "../../../api.ts";
import {
  CheckboxField,
  fieldErrors,
  localProblem,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextAreaField,
  TextField,
} from "../../../components/form/index.ts";
import {
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  type ContactChannel,
  type ContactDirection,
  CRISIS_KINDS,
  type CrisisKind,
} from "../../../constants.ts";
import { formatMoney, fromLocalInput, useFormat } from "../../../format.ts";
import { type LiveState, useEventStream } from "../../../live.ts";
import { useSignedIn } from "../../../session.tsx";

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

const text = (value: unknown): string => (typeof value === "string" ? value : "");

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

function LiveIndicator({ state, onReconnect }: { state: LiveState; onReconnect: () => void }) {
  const { t } = useTranslation();
  return (
    <span className="live-wrap">
      <span className={`live live-${state}`} data-testid="crisis-live" data-state={state} role="status">
        <span className="live-dot" aria-hidden="true" />
        {t(`crisis.live.${state}`)}
      </span>
      {state === "offline" && (
        <button type="button" className="button button-secondary button-small" onClick={onReconnect}>
          {t("crisis.live.reconnect")}
        </button>
      )}
    </span>
  );
}

function Integrity({ verified, onCheck }: { verified: boolean | null; onCheck: () => void }) {
  const { t } = useTranslation();
  if (verified === null) return null;
  return (
    <span className="live-wrap">
      <span
        className={`integrity ${verified ? "integrity-ok" : "integrity-broken"}`}
        data-testid="crisis-integrity"
        data-verified={String(verified)}
        role={verified ? undefined : "alert"}
      >
        {verified ? t("crisis.integrityOk") : t("crisis.integrityBroken")}
      </span>
      <button type="button" className="button button-secondary button-small" onClick={onCheck}>
        {t("crisis.checkAgain")}
      </button>
    </span>
  );
}

interface EntryProps {
  entry: CrisisLogEntry;
  fresh: boolean;
  correctsSeq: number | null;
  correctedBy: number[];
  onCorrect: () => void;
  idOf: ReadonlyMap<number, number>;
}

function Entry({ entry, fresh, correctsSeq, correctedBy, onCorrect, idOf }: EntryProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const kind = text(entry.entry.kind);
  const recordedLater = Math.abs(Date.parse(entry.recordedAt) - Date.parse(entry.occurredAt)) >= 60_000;
  return (
    <li
      className={`timeline-entry kind-${kind}${fresh ? " entry-fresh" : ""}`}
      id={`crisis-entry-${entry.id}`}
      data-testid="crisis-entry"
      data-id={entry.id}
      data-seq={entry.seq}
      data-kind={kind}
    >
      <div className="entry-head">
        <span className="entry-seq" dir="ltr">
          #{entry.seq}
        </span>
        <span className={`entry-kind kind-badge-${kind}`}>
          {t(`crisisKind.${kind}`, { defaultValue: kind })}
        </span>
        <time dateTime={entry.occurredAt} className="entry-time">
          {format.dateTime(entry.occurredAt)}
        </time>
        <span className="entry-meta muted small">
          {recordedLater
            ? t("crisis.recordedAtBy", { time: format.dateTime(entry.recordedAt), author: entry.authorLabel })
            : t("crisis.recordedBy", { author: entry.authorLabel })}
        </span>
      </div>
      {entry.corrects !== null && (
        <p className="entry-corrects">
          <a href={`#crisis-entry-${entry.corrects}`}>
            {correctsSeq === null ? t("crisis.correctsUnknown") : t("crisis.corrects", { seq: correctsSeq })}
          </a>
        </p>
      )}
      <EntryContent content={entry.entry} />
      <div className="entry-foot">
        {correctedBy.length > 0 && (
          <span className="entry-corrected small">
            {t("crisis.correctedBy")}{" "}
            {correctedBy.map((seq, i) => (
              <span key={seq}>
                {i > 0 && t("common.listSeparator")}
                <a href={`#crisis-entry-${idOf.get(seq) ?? ""}`} dir="ltr">
                  #{seq}
                </a>
              </span>
            ))}
          </span>
        )}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="crisis-correct"
          onClick={onCorrect}
        >
          {t("crisis.correct")}
          <span className="visually-hidden"> {t("crisis.entryNo", { seq: entry.seq })}</span>
        </button>
      </div>
    </li>
  );
}

function EntryContent({ content }: { content: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const kind = text(content.kind);
  const summary = (
    <p className="entry-summary" dir="auto">
      {text(content.summary)}
    </p>
  );
  switch (kind) {
    case "contact":
      return (
        <>
          <p className="entry-facts">
            {t(`channel.${text(content.channel)}`, { defaultValue: text(content.channel) })} ·{" "}
            {t(`direction.${text(content.direction)}`, { defaultValue: text(content.direction) })}
          </p>
          {summary}
        </>
      );
    case "demand": {
      const amount = content.amount as { value?: unknown; currency?: unknown } | undefined;
      return (
        <>
          {amount && typeof amount.value === "number" && (
            <p className="entry-amount" data-testid="crisis-entry-amount">
              {t("crisis.demandAmount")}{" "}
              <strong>{formatMoney(i18n.language, amount.value, text(amount.currency))}</strong>
            </p>
          )}
          {summary}
        </>
      );
    }
    case "proof_of_life":
      return (
        <>
          <p className="entry-facts">
            <span className={`badge ${content.verified === true ? "badge-ok" : "badge-warn"}`}>
              {content.verified === true ? t("crisis.polVerified") : t("crisis.polNotVerified")}
            </span>
          </p>
          {summary}
        </>
      );
    case "decision":
      return (
        <dl className="details entry-details">
          <dt>{t("crisis.decision")}</dt>
          <dd dir="auto">{text(content.decision)}</dd>
          <dt>{t("crisis.rationale")}</dt>
          <dd dir="auto">{text(content.rationale)}</dd>
          <dt>{t("crisis.decidedBy")}</dt>
          <dd dir="auto">{text(content.decidedBy)}</dd>
        </dl>
      );
    case "intelligence":
      return (
        <>
          {summary}
          {text(content.source) && (
            <p className="entry-facts muted small">
              {t("crisis.source")} <span dir="auto">{text(content.source)}</span>
            </p>
          )}
        </>
      );
    default:
      return summary;
  }
}

// ---- Recording an entry ----------------------------------------------------------------------

interface EntryDraft {
  kind: CrisisKind;
  occurredAt: string;
  summary: string;
  channel: ContactChannel;
  direction: ContactDirection;
  amount: string;
  currency: string;
  verified: boolean;
  decision: string;
  rationale: string;
  decidedBy: string;
  source: string;
}

const EMPTY: EntryDraft = {
  kind: "note",
  occurredAt: "",
  summary: "",
  channel: "phone",
  direction: "incoming",
  amount: "",
  currency: "USD",
  verified: false,
  decision: "",
  rationale: "",
  decidedBy: "",
  source: "",
};

/** A correction starts from the content of the entry it corrects. */
function draftFrom(entry: CrisisLogEntry | null): EntryDraft {
  if (!entry) return EMPTY;
  const c = entry.entry;
  const kind = CRISIS_KINDS.find((k) => k === c.kind) ?? "note";
  const amount = c.amount as { value?: unknown; currency?: unknown } | undefined;
  return {
    ...EMPTY,
    kind,
    summary: text(c.summary),
    channel: CONTACT_CHANNELS.find((v) => v === c.channel) ?? EMPTY.channel,
    direction: CONTACT_DIRECTIONS.find((v) => v === c.direction) ?? EMPTY.direction,
    amount: typeof amount?.value === "number" ? String(amount.value) : "",
    currency: text(amount?.currency) || EMPTY.currency,
    verified: c.verified === true,
    decision: text(c.decision),
    rationale: text(c.rationale),
    decidedBy: text(c.decidedBy),
    source: text(c.source),
  };
}

function contentOf(d: EntryDraft): CrisisEntryContent {
  const summary = d.summary.trim();
  switch (d.kind) {
    case "contact":
      return { kind: "contact", channel: d.channel, direction: d.direction, summary };
    case "demand":
      return d.amount.trim()
        ? {
            kind: "demand",
            summary,
            amount: { value: Number(d.amount), currency: d.currency.trim().toUpperCase() },
          }
        : { kind: "demand", summary };
    case "proof_of_life":
      return { kind: "proof_of_life", summary, verified: d.verified };
    case "decision":
      return {
        kind: "decision",
        decision: d.decision.trim(),
        rationale: d.rationale.trim(),
        decidedBy: d.decidedBy.trim(),
      };
    case "intelligence":
      return d.source.trim()
        ? { kind: "intelligence", summary, source: d.source.trim() }
        : { kind: "intelligence", summary };
    case "action":
      return { kind: "action", summary };
    case "note":
      return { kind: "note", summary };
  }
}

const ENTRY_FIELDS = [
  "occurredAt",
  "corrects",
  "entry.kind",
  "entry.summary",
  "entry.channel",
  "entry.direction",
  "entry.amount.value",
  "entry.amount.currency",
  "entry.verified",
  "entry.decision",
  "entry.rationale",
  "entry.decidedBy",
  "entry.source",
];

interface RecordEntryProps {
  caseId: string;
  corrects: CrisisLogEntry | null;
  onCancelCorrection: () => void;
  onRecorded: (entry: CrisisLogEntry) => void;
  sectionRef: RefObject<HTMLElement | null>;
}

function RecordEntry({ caseId, corrects, onCancelCorrection, onRecorded, sectionRef }: RecordEntryProps) {
  const { t } = useTranslation();
  const [d, setD] = useState<EntryDraft>(() => draftFrom(corrects));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Starting a correction fills the form with the entry to correct.
  const [basis, setBasis] = useState(corrects);
  if (basis !== corrects) {
    setBasis(corrects);
    if (corrects) {
      setD({ ...draftFrom(corrects), occurredAt: "" });
      setProblem(null);
      setDone(null);
    }
  }
  const cancelCorrection = () => {
    setD((prev) => ({ ...EMPTY, kind: prev.kind }));
    setProblem(null);
    onCancelCorrection();
  };
  const set =
    <K extends keyof EntryDraft>(key: K) =>
    (value: EntryDraft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));
  const err = fieldErrors(problem);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    if (d.kind === "demand" && d.amount.trim() && !Number.isFinite(Number(d.amount))) {
      setProblem(localProblem({ "entry.amount.value": "Invalid input" }));
      return;
    }
    const body: CrisisLogBody = { entry: contentOf(d) };
    const occurredAt = fromLocalInput(d.occurredAt);
    if (occurredAt) body.occurredAt = occurredAt;
    if (corrects) body.corrects = corrects.id;
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/crisis-log", { params: { path: { id: caseId } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ENTRY_FIELDS));
      return;
    }
    onRecorded(r.data);
    setD((prev) => ({ ...EMPTY, kind: prev.kind, currency: prev.currency }));
    setDone(t("crisis.recorded", { seq: r.data.seq }));
  };

  const summaryField = (
    <TextAreaField
      fieldClassName="form-grid-wide"
      label={t(d.kind === "demand" ? "crisis.demandSummary" : "crisis.summary")}
      value={d.summary}
      onChange={set("summary")}
      rows={3}
      dir="auto"
      error={err("entry.summary")}
      testId="crisis-summary"
    />
  );

  return (
    <section ref={sectionRef} className="panel record-entry" aria-labelledby="crisis-record-title">
      <h3 id="crisis-record-title" tabIndex={-1}>
        {corrects ? t("crisis.correctTitle", { seq: corrects.seq }) : t("crisis.recordTitle")}
      </h3>
      <p className="muted small">{t("crisis.neverEdited")}</p>
      {corrects && (
        <div className="alert alert-info correcting">
          <p>{t("crisis.correcting", { seq: corrects.seq })}</p>
          <button type="button" className="button button-secondary button-small" onClick={cancelCorrection}>
            {t("crisis.cancelCorrection")}
          </button>
        </div>
      )}
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <SelectField
          label={t("crisis.kind")}
          value={d.kind}
          onChange={(v) => set("kind")(CRISIS_KINDS.find((k) => k === v) ?? "note")}
          options={CRISIS_KINDS.map((k) => ({ value: k, label: t(`crisisKind.${k}`) }))}
          error={err("entry.kind")}
          testId="crisis-kind"
        />
        <TextField
          type="datetime-local"
          label={t("crisis.occurredAt")}
          hint={t("crisis.occurredAtHint")}
          value={d.occurredAt}
          onChange={set("occurredAt")}
          error={err("occurredAt")}
          testId="crisis-occurred-at"
        />
        {d.kind === "contact" && (
          <>
            <SelectField
              label={t("crisis.channel")}
              value={d.channel}
              onChange={(v) => set("channel")(CONTACT_CHANNELS.find((c) => c === v) ?? "other")}
              options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
              error={err("entry.channel")}
              testId="crisis-channel"
            />
            <SelectField
              label={t("crisis.direction")}
              value={d.direction}
              onChange={(v) => set("direction")(v === "outgoing" ? "outgoing" : "incoming")}
              options={CONTACT_DIRECTIONS.map((c) => ({ value: c, label: t(`direction.${c}`) }))}
              error={err("entry.direction")}
              testId="crisis-direction"
            />
          </>
        )}
        {d.kind === "demand" && (
          <>
            <TextField
              type="number"
              min={0}
              step="any"
              label={t("crisis.amount")}
              hint={t("crisis.amountHint")}
              value={d.amount}
              onChange={set("amount")}
              dir="ltr"
              error={err("entry.amount.value")}
              testId="crisis-amount"
            />
            <TextField
              label={t("crisis.currency")}
              hint={t("crisis.currencyHint")}
              value={d.currency}
              onChange={(v) => set("currency")(v.toUpperCase())}
              maxLength={3}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              dir="ltr"
              error={err("entry.amount.currency")}
              testId="crisis-currency"
            />
          </>
        )}
        {d.kind === "decision" ? (
          <>
            <TextAreaField
              fieldClassName="form-grid-wide"
              label={t("crisis.decision")}
              value={d.decision}
              onChange={set("decision")}
              dir="auto"
              error={err("entry.decision")}
              testId="crisis-decision"
            />
            <TextAreaField
              fieldClassName="form-grid-wide"
              label={t("crisis.rationale")}
              value={d.rationale}
              onChange={set("rationale")}
              dir="auto"
              error={err("entry.rationale")}
              testId="crisis-rationale"
            />
            <TextField
              label={t("crisis.decidedBy")}
              hint={t("crisis.decidedByHint")}
              value={d.decidedBy}
              onChange={set("decidedBy")}
              dir="auto"
              error={err("entry.decidedBy")}
              testId="crisis-decided-by"
            />
          </>
        ) : (
          summaryField
        )}
        {d.kind === "proof_of_life" && (
          <div className="form-grid-wide">
            <CheckboxField
              label={t("crisis.polVerifiedLabel")}
              hint={t("crisis.polVerifiedHint")}
              checked={d.verified}
              onChange={set("verified")}
              error={err("entry.verified")}
              testId="crisis-verified"
            />
          </div>
        )}
        {d.kind === "intelligence" && (
          <TextField
            label={t("crisis.sourceLabel")}
            hint={t("crisis.sourceHint")}
            value={d.source}
            onChange={set("source")}
            dir="auto"
            error={err("entry.source")}
            testId="crisis-source"
          />
        )}
        <div className="form-grid-wide">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="crisis-submit">
            {busy ? t("common.saving") : corrects ? t("crisis.submitCorrection") : t("crisis.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}
