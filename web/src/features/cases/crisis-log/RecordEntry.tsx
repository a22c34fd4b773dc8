/**
 * Recording the next entry of a crisis log, or a correction of an earlier one (which
 * starts from the content it corrects): its kind, when it happened, and the fields of
 * that kind. Entries are never edited.
 */
import { type FormEvent, type RefObject, useState } from "react";
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
import { fromLocalInput } from "../../../format.ts";
import { text } from "./Entry.tsx";

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

export function RecordEntry({
  caseId,
  corrects,
  onCancelCorrection,
  onRecorded,
  sectionRef,
}: RecordEntryProps) {
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
