/**
 * One annual return: the tables computed from the node's cases, the validation
 * against the previous year with a note for each flagged change, the
 * questionnaire on legislation and domestic measures, and the submission to the
 * Secretariat (with small-cell suppression), whose acknowledgement the page
 * awaits by reading the return again every two seconds.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  forFields,
  type Questionnaire,
  type ReturnView,
  run,
  type StatTable,
  type ValidationIssue,
} from "../../../api.ts";
import {
  CheckboxGroup,
  FieldGroup,
  fieldErrors,
  localProblem,
  opt,
  ProblemAlert,
  RadioGroup,
  StatusMessage,
  TextAreaField,
  TextField,
  wholeNumber,
} from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { useFormat } from "../../../format.ts";
import {
  AGGRAVATING,
  blockerText,
  categoryLabel,
  dimLabel,
  ELEMENTS,
  keyLabel,
  POLL_MS,
  ReturnStatusBadge,
  tableTitle,
  UNTOC_PARTY,
  YES_NO,
  YES_NO_QUESTIONS,
} from "../common.tsx";
import { AcknowledgementText } from "./ReturnsPage.tsx";

export function ReturnPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const [ret, setRet] = useState<ReturnView | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/statistics/returns/{id}", { params: { path: { id } } }));
    if (r.ok) {
      setRet(r.data);
      setProblem(null);
    } else setProblem(r.problem);
    return r.ok ? r.data : null;
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  // Submitted: the Secretariat's acknowledgement is awaited (the return is read again every two seconds).
  const waiting = ret?.status === "submitted";
  useEffect(() => {
    if (!waiting) return;
    let cancelled = false;
    const timer = setInterval(() => {
      void (async () => {
        const r = await run(api.GET("/api/statistics/returns/{id}", { params: { path: { id } } }));
        if (!cancelled && r.ok) setRet(r.data);
      })();
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [waiting, id]);

  if (!ret) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/statistics/returns">{t("returns.backToList")}</Link>
        </p>
        <PageTitle>{t("returns.title")}</PageTitle>
        <ProblemAlert problem={problem} />
        {!problem && <p className="muted">{t("common.loading")}</p>}
      </>
    );
  }

  const draft = ret.status === "draft";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/statistics/returns">{t("returns.backToList")}</Link>
      </p>
      <PageTitle>{t("returns.returnOf", { year: ret.year })}</PageTitle>
      <ReturnHeader ret={ret} />
      <ProblemAlert problem={problem} />
      <nav className="case-sections" aria-label={t("returns.onThisPage")}>
        <ul>
          <li>
            <a href="#return-tables">{t("returns.tablesTitle")}</a>
          </li>
          <li>
            <a href="#return-issues">{t("returns.issuesTitle")}</a>
          </li>
          <li>
            <a href="#return-questionnaire">{t("returns.q.title")}</a>
          </li>
          <li>
            <a href="#return-submit">{draft ? t("returns.submitTitle") : t("returns.publishedTitle")}</a>
          </li>
        </ul>
      </nav>
      <TablesSection ret={ret} onChange={setRet} />
      <IssuesSection ret={ret} onChange={setRet} />
      <QuestionnaireSection ret={ret} onChange={setRet} />
      <SubmitSection ret={ret} onChange={setRet} reload={load} />
    </>
  );
}

function ReturnHeader({ ret }: { ret: ReturnView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="panel section" data-testid="return-header">
      <dl className="details">
        <dt>{t("returns.statusLabel")}</dt>
        <dd>
          <ReturnStatusBadge status={ret.status} />
          {ret.status === "submitted" && (
            <span className="hits-waiting small" data-testid="return-awaiting">
              <span className="live-dot" aria-hidden="true" /> {t("returns.awaitingAck")}
            </span>
          )}
        </dd>
        <dt>{t("returns.revision")}</dt>
        <dd>{format.number(ret.revision)}</dd>
        <dt>{t("returns.openedAt")}</dt>
        <dd>{format.dateTime(ret.openedAt)}</dd>
        <dt>{t("returns.computedAt")}</dt>
        <dd>{format.dateTime(ret.computedAt)}</dd>
        {ret.submittedAt && (
          <>
            <dt>{t("returns.submittedAt")}</dt>
            <dd>{format.dateTime(ret.submittedAt)}</dd>
          </>
        )}
        {ret.acknowledgedAt && (
          <>
            <dt>{ret.status === "rejected" ? t("returns.rejectedAt") : t("returns.acknowledgedAt")}</dt>
            <dd>{format.dateTime(ret.acknowledgedAt)}</dd>
          </>
        )}
        {ret.acknowledgement && (
          <>
            <dt>{t("returns.acknowledgement")}</dt>
            <dd data-testid="return-acknowledgement">
              <AcknowledgementText text={ret.acknowledgement} />
            </dd>
          </>
        )}
        {ret.minCell !== null && ret.minCell > 1 && (
          <>
            <dt>{t("returns.minCell")}</dt>
            <dd>{format.number(ret.minCell)}</dd>
          </>
        )}
      </dl>
      <p aria-live="polite" className="visually-hidden">
        {t(`returns.status.${ret.status}`)}
      </p>
    </div>
  );
}

// ---- Tables ----------------------------------------------------------------------------------

function TablesSection({ ret, onChange }: { ret: ReturnView; onChange: (r: ReturnView) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const recompute = async () => {
    setBusy(true);
    setDone(null);
    const r = await run(
      api.PATCH("/api/statistics/returns/{id}", {
        params: { path: { id: ret.id } },
        body: { recompute: true },
      }),
    );
    setBusy(false);
    if (r.ok) {
      onChange(r.data);
      setProblem(null);
      setDone(t("returns.recomputed"));
    } else setProblem(r.problem);
  };

  return (
    <section className="section" id="return-tables" aria-labelledby="return-tables-title">
      <div className="section-head">
        <h2 id="return-tables-title">{t("returns.tablesTitle")}</h2>
        {ret.status === "draft" && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void recompute()}
            disabled={busy}
            data-testid="return-recompute"
          >
            {busy ? t("returns.computing") : t("returns.recompute")}
          </button>
        )}
      </div>
      <p className="muted">
        {t("returns.tablesIntro", { year: ret.year, at: format.dateTime(ret.computedAt) })}
      </p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <div className="stats-grid" data-testid="return-tables">
        {ret.tables.map((table) => (
          <ReturnTable key={table.id} table={table} />
        ))}
      </div>
    </section>
  );
}

function ReturnTable({ table }: { table: StatTable }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = `return-table-${table.id}`;
  const amount = table.measure === "ransom_amount_demanded";
  const value = (n: number) =>
    amount ? new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(n) : format.number(n);
  return (
    <section
      className={`panel${table.dims.length > 1 ? " return-table-wide" : ""}`}
      aria-labelledby={headingId}
      data-testid="return-table"
      data-table={table.id}
    >
      <h3 id={headingId}>{tableTitle(t, table)}</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is reached by keyboard */}
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              {table.dims.map((d) => (
                <th scope="col" key={d}>
                  {dimLabel(t, d)}
                </th>
              ))}
              <th scope="col" className="numeric">
                {t(`returns.measure.${table.measure}`, { defaultValue: table.measure })}
              </th>
            </tr>
          </thead>
          <tbody>
            {table.cells.length === 0 && (
              <tr>
                <td colSpan={table.dims.length + 1} className="empty">
                  {t("returns.noCells")}
                </td>
              </tr>
            )}
            {table.cells.map((c) => (
              <tr key={c.key.join("|")}>
                {c.key.map((k, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a key's parts are positional
                  <td key={i} dir="auto">
                    {categoryLabel(t, table.dims[i] ?? "", k)}
                  </td>
                ))}
                <td className="numeric">
                  {c.value === null ? (
                    <span className="muted" data-testid="return-withheld">
                      {t("returns.withheld")}
                    </span>
                  ) : (
                    value(c.value)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" className="total-cell" colSpan={Math.max(1, table.dims.length)}>
                {t("returns.total")}
              </th>
              <td className="total-cell numeric" data-testid="return-table-total">
                {value(table.total)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

// ---- Validation and notes ----------------------------------------------------------------------

function IssuesSection({ ret, onChange }: { ret: ReturnView; onChange: (r: ReturnView) => void }) {
  const { t } = useTranslation();
  const draft = ret.status === "draft";
  const [general, setGeneral] = useState(ret.notes.general ?? "");
  const [notes, setNotes] = useState<Record<string, string>>(ret.notes.issues);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setDone(null);
    const issues = Object.fromEntries(
      Object.entries(notes)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([, v]) => v),
    );
    const r = await run(
      api.PATCH("/api/statistics/returns/{id}", {
        params: { path: { id: ret.id } },
        body: { notes: { general: general.trim(), issues } },
      }),
    );
    setBusy(false);
    if (r.ok) {
      onChange(r.data);
      setProblem(null);
      setDone(t("returns.notesSaved"));
    } else {
      setProblem(
        forFields(r.problem, ["notes.general", ...Object.keys(notes).map((k) => `notes.issues.${k}`)]),
      );
    }
  };

  const tables = new Map(ret.tables.map((x) => [x.id, x]));
  return (
    <section className="section" id="return-issues" aria-labelledby="return-issues-title">
      <h2 id="return-issues-title">{t("returns.issuesTitle")}</h2>
      <p className="muted">{t("returns.issuesIntro")}</p>
      <form onSubmit={(e) => void save(e)} noValidate className="stack">
        {ret.issues.length === 0 ? (
          <p className="alert alert-success" data-testid="return-no-issues">
            {t("returns.noIssues")}
          </p>
        ) : (
          <ul className="record-cards" data-testid="return-issues">
            {ret.issues.map((issue) => (
              <IssueCard
                key={issue.id}
                issue={issue}
                table={tables.get(issue.table)}
                note={notes[issue.id] ?? ""}
                onNote={(v) => setNotes((prev) => ({ ...prev, [issue.id]: v }))}
                error={problem?.fields[`notes.issues.${issue.id}`]}
                disabled={!draft}
              />
            ))}
          </ul>
        )}
        <TextAreaField
          label={t("returns.generalNote")}
          hint={t("returns.generalNoteHint")}
          value={general}
          onChange={setGeneral}
          maxLength={5000}
          rows={3}
          readOnly={!draft}
          error={problem?.fields["notes.general"]}
          testId="return-general-note"
        />
        <ProblemAlert problem={problem} />
        <StatusMessage message={done} />
        {draft && (
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy}
              data-testid="return-notes-save"
            >
              {busy ? t("common.saving") : t("returns.saveNotes")}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

const SEVERITY_CLASS = { error: "badge-alarm", warning: "badge-warn" } as const;

function IssueCard({
  issue,
  table,
  note,
  onNote,
  error,
  disabled,
}: {
  issue: ValidationIssue;
  table: StatTable | undefined;
  note: string;
  onNote: (v: string) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const where = table
    ? issue.key.length
      ? `${tableTitle(t, table)} — ${keyLabel(t, table, issue.key)}`
      : `${tableTitle(t, table)} — ${t("returns.total")}`
    : issue.table;
  return (
    <li
      className="record-card"
      data-testid="return-issue"
      data-kind={issue.kind}
      data-severity={issue.severity}
      data-noted={issue.noted}
    >
      <div className="record-card-head">
        <span>
          <span className={`badge ${SEVERITY_CLASS[issue.severity]}`}>
            {t(`returns.severity.${issue.severity}`)}
          </span>{" "}
          <strong>{t(`returns.kind.${issue.kind}`)}</strong>
        </span>
        {issue.needsNote && (
          <span className={`badge ${issue.noted ? "badge-ok" : "badge-off"}`}>
            {issue.noted ? t("returns.noted") : t("returns.needsNote")}
          </span>
        )}
      </div>
      <p className="small">{where}</p>
      <p className="small muted" lang="en" dir="ltr">
        {issue.message}
      </p>
      {issue.needsNote && (
        <TextAreaField
          label={t("returns.issueNote")}
          value={note}
          onChange={onNote}
          maxLength={2000}
          rows={2}
          readOnly={disabled}
          error={error}
          testId={`return-issue-note-${issue.id}`}
        />
      )}
    </li>
  );
}

// ---- Questionnaire -----------------------------------------------------------------------------

type YesNo = (typeof YES_NO)[number];
type Party = (typeof UNTOC_PARTY)[number];
type Element = (typeof ELEMENTS)[number];
type Aggravating = (typeof AGGRAVATING)[number];

interface Draft {
  criminalised: YesNo | "";
  elementsCovered: Element[];
  legalProvision: string;
  maxPenaltyYears: string;
  aggravatingCircumstances: Aggravating[];
  specialisedUnits: YesNo | "";
  victimAssistance: YesNo | "";
  familySupport: YesNo | "";
  antiMoneyLaunderingRansom: YesNo | "";
  untocParty: Party | "";
  mlaArrangements: YesNo | "";
  extraditionArrangements: YesNo | "";
  comments: string;
}

function draftOf(q: Questionnaire | null): Draft {
  return {
    criminalised: q?.criminalised ?? "",
    elementsCovered: [...(q?.elementsCovered ?? [])],
    legalProvision: q?.legalProvision ?? "",
    maxPenaltyYears:
      q?.maxPenaltyYears === null || q?.maxPenaltyYears === undefined ? "" : String(q.maxPenaltyYears),
    aggravatingCircumstances: [...(q?.aggravatingCircumstances ?? [])],
    specialisedUnits: q?.specialisedUnits ?? "",
    victimAssistance: q?.victimAssistance ?? "",
    familySupport: q?.familySupport ?? "",
    antiMoneyLaunderingRansom: q?.antiMoneyLaunderingRansom ?? "",
    untocParty: q?.untocParty ?? "",
    mlaArrangements: q?.mlaArrangements ?? "",
    extraditionArrangements: q?.extraditionArrangements ?? "",
    comments: q?.comments ?? "",
  };
}

const REQUIRED = ["criminalised", ...YES_NO_QUESTIONS, "untocParty"] as const;

const Q_FIELDS = [
  ...REQUIRED,
  "elementsCovered",
  "legalProvision",
  "maxPenaltyYears",
  "aggravatingCircumstances",
  "comments",
] as const;

function QuestionnaireSection({ ret, onChange }: { ret: ReturnView; onChange: (r: ReturnView) => void }) {
  const { t } = useTranslation();
  const draft = ret.status === "draft";
  const [d, setD] = useState<Draft>(() => draftOf(ret.questionnaire));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setD((prev) => ({ ...prev, [k]: v }));
  const err = fieldErrors(problem);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const bad: Record<string, string> = {};
    for (const k of REQUIRED) if (d[k] === "") bad[k] = "must not be empty";
    const years = wholeNumber(d.maxPenaltyYears);
    if (Number.isNaN(years)) bad.maxPenaltyYears = "must be a whole number";
    else if (years !== null && years > 99) bad.maxPenaltyYears = "must be between 0 and 99";
    if (Object.keys(bad).length) {
      setProblem(localProblem(bad));
      return;
    }
    const questionnaire = {
      criminalised: d.criminalised as YesNo,
      elementsCovered: d.elementsCovered,
      legalProvision: opt(d.legalProvision),
      maxPenaltyYears: years,
      aggravatingCircumstances: d.aggravatingCircumstances,
      specialisedUnits: d.specialisedUnits as YesNo,
      victimAssistance: d.victimAssistance as YesNo,
      familySupport: d.familySupport as YesNo,
      antiMoneyLaunderingRansom: d.antiMoneyLaunderingRansom as YesNo,
      untocParty: d.untocParty as Party,
      mlaArrangements: d.mlaArrangements as YesNo,
      extraditionArrangements: d.extraditionArrangements as YesNo,
      comments: opt(d.comments),
    };
    setBusy(true);
    const r = await run(
      api.PATCH("/api/statistics/returns/{id}", {
        params: { path: { id: ret.id } },
        body: { questionnaire: questionnaire as Questionnaire },
      }),
    );
    setBusy(false);
    if (r.ok) {
      onChange(r.data);
      setProblem(null);
      setDone(t("returns.q.saved"));
    } else {
      // The node names the questionnaire's fields `questionnaire.<field>`.
      const p = forFields(
        r.problem,
        Q_FIELDS.map((f) => `questionnaire.${f}`),
      );
      const fields = Object.fromEntries(
        Object.entries(p.fields).map(([k, v]) => [k.replace(/^questionnaire\./, ""), v]),
      );
      setProblem({ ...p, fields });
    }
  };

  const years = wholeNumber(d.maxPenaltyYears);
  const serious = years === null || Number.isNaN(years) ? null : years >= 4;

  return (
    <section className="section" id="return-questionnaire" aria-labelledby="return-q-title">
      <div className="section-head">
        <h2 id="return-q-title">{t("returns.q.title")}</h2>
        <span
          className={`badge ${ret.questionnaire ? "badge-ok" : "badge-off"}`}
          data-testid="return-q-state"
        >
          {ret.questionnaire ? t("returns.q.answered") : t("returns.q.unanswered")}
        </span>
      </div>
      <p className="muted">{t("returns.q.intro", { version: ret.questionnaireVersion })}</p>
      <form onSubmit={(e) => void save(e)} noValidate className="stack" data-testid="return-questionnaire">
        <FieldGroup
          variant="panel"
          className="stack"
          legend={t("returns.q.criminalisationTitle")}
          disabled={!draft}
        >
          <Question
            name="criminalised"
            legend={t("returns.q.criminalised")}
            hint={t("returns.q.criminalisedHint")}
            options={YES_NO}
            value={d.criminalised}
            onChange={set("criminalised")}
            error={err("criminalised")}
          />
          <CheckboxGroup
            legend={t("returns.q.elementsCovered")}
            options={ELEMENTS.map((v) => ({ value: v, label: t(`returns.q.element.${v}`) }))}
            selected={d.elementsCovered}
            onChange={set("elementsCovered")}
            error={err("elementsCovered")}
            testIdPrefix="q-element-"
            disabled={!draft}
          />
          <TextField
            label={t("returns.q.legalProvision")}
            hint={t("returns.q.legalProvisionHint")}
            value={d.legalProvision}
            onChange={set("legalProvision")}
            maxLength={500}
            error={err("legalProvision")}
            testId="q-legal-provision"
          />
          <div>
            <TextField
              label={t("returns.q.maxPenaltyYears")}
              hint={t("returns.q.maxPenaltyHint")}
              value={d.maxPenaltyYears}
              onChange={set("maxPenaltyYears")}
              inputMode="numeric"
              maxLength={2}
              autoComplete="off"
              error={err("maxPenaltyYears")}
              testId="q-max-penalty"
              fieldClassName="field-narrow"
            />
            <p className="small penalty-serious" aria-live="polite" data-testid="q-serious">
              {serious === null ? null : serious ? (
                <span className="badge badge-ok">{t("returns.q.seriousYes")}</span>
              ) : (
                <span className="badge badge-warn">{t("returns.q.seriousNo")}</span>
              )}
            </p>
          </div>
          <CheckboxGroup
            legend={t("returns.q.aggravating")}
            options={AGGRAVATING.map((v) => ({ value: v, label: t(`returns.q.aggravatingOption.${v}`) }))}
            selected={d.aggravatingCircumstances}
            onChange={set("aggravatingCircumstances")}
            error={err("aggravatingCircumstances")}
            testIdPrefix="q-aggravating-"
            disabled={!draft}
          />
        </FieldGroup>
        <FieldGroup variant="panel" className="stack" legend={t("returns.q.measuresTitle")} disabled={!draft}>
          <div className="form-grid">
            {YES_NO_QUESTIONS.map((k) => (
              <Question
                key={k}
                name={k}
                legend={t(`returns.q.${k}`)}
                options={YES_NO}
                value={d[k]}
                onChange={set(k)}
                error={err(k)}
              />
            ))}
            <Question
              name="untocParty"
              legend={t("returns.q.untocParty")}
              options={UNTOC_PARTY}
              value={d.untocParty}
              onChange={set("untocParty")}
              error={err("untocParty")}
            />
          </div>
          <TextAreaField
            label={t("returns.q.comments")}
            value={d.comments}
            onChange={set("comments")}
            maxLength={5000}
            rows={3}
            error={err("comments")}
            testId="q-comments"
          />
        </FieldGroup>
        <ProblemAlert problem={problem} />
        <StatusMessage message={done} />
        {draft && (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy} data-testid="q-save">
              {busy ? t("common.saving") : t("returns.q.save")}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

/** A question of the questionnaire, answered by one of its options (an empty answer: "choose an answer"). */
function Question<T extends string>({
  name,
  legend,
  hint,
  options,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  hint?: string;
  options: readonly T[];
  value: T | "";
  onChange: (v: T) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <RadioGroup
      legend={legend}
      hint={hint}
      options={options.map((o) => ({ value: o, label: t(`returns.answer.${o}`) }))}
      value={value}
      onChange={onChange}
      error={error === "must not be empty" ? t("returns.q.chooseOne") : error}
      testId={`q-${name}`}
    />
  );
}

// ---- Submission --------------------------------------------------------------------------------

function SubmitSection({
  ret,
  onChange,
  reload,
}: {
  ret: ReturnView;
  onChange: (r: ReturnView) => void;
  reload: () => Promise<ReturnView | null>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const draft = ret.status === "draft";
  const [minCell, setMinCell] = useState(String(ret.minCell ?? 1));
  const [population, setPopulation] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const blocked = ret.blockers.length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = wholeNumber(minCell);
    const p = wholeNumber(population);
    const bad: Record<string, string> = {};
    if (m === null) bad.minCell = "must not be empty";
    else if (Number.isNaN(m)) bad.minCell = "must be a whole number";
    else if (m < 1 || m > 100) bad.minCell = "must be between 1 and 100";
    if (Number.isNaN(p)) bad.population = "must be a whole number";
    else if (p !== null && p < 1) bad.population = "must be between 1 and 2000000000";
    if (Object.keys(bad).length) {
      setProblem(localProblem(bad));
      return;
    }
    setBusy(true);
    const body: { minCell: number; population?: number } = { minCell: m ?? 1 };
    if (p !== null) body.population = p;
    const r = await run(
      api.POST("/api/statistics/returns/{id}/submit", { params: { path: { id: ret.id } }, body }),
    );
    setBusy(false);
    if (r.ok) {
      setProblem(null);
      onChange(r.data);
      return;
    }
    // What blocks it is listed above the button once the return is read again.
    const known = forFields(r.problem, ["minCell", "population"]);
    setProblem({ ...known, otherFields: known.otherFields.filter((f) => f.path !== "params.id") });
    if (r.problem.code === "invalid_state") await reload();
  };

  const csv = `/api/statistics/returns/${encodeURIComponent(ret.id)}/sdmx?format=csv`;
  const json = `/api/statistics/returns/${encodeURIComponent(ret.id)}/sdmx?format=json`;

  return (
    <section className="section" id="return-submit" aria-labelledby="return-submit-title">
      <h2 id="return-submit-title">{draft ? t("returns.submitTitle") : t("returns.publishedTitle")}</h2>
      {draft ? (
        <form
          className="panel stack"
          onSubmit={(e) => void submit(e)}
          noValidate
          data-testid="return-submit-form"
        >
          <p className="muted">{t("returns.submitIntro")}</p>
          <div className="form-grid">
            <TextField
              label={t("returns.minCell")}
              hint={t("returns.minCellHint")}
              value={minCell}
              onChange={setMinCell}
              inputMode="numeric"
              maxLength={3}
              autoComplete="off"
              error={problem?.fields.minCell}
              testId="return-min-cell"
              fieldClassName="field-narrow"
            />
            <TextField
              label={t("returns.population")}
              hint={t("returns.populationHint")}
              value={population}
              onChange={setPopulation}
              inputMode="numeric"
              maxLength={10}
              autoComplete="off"
              error={problem?.fields.population}
              testId="return-population"
              fieldClassName="field-narrow"
            />
          </div>
          <div aria-live="polite" data-testid="return-blockers-region">
            {blocked ? (
              <div className="alert alert-info" data-testid="return-blockers">
                <p>
                  <strong>{t("returns.blockersTitle")}</strong>
                </p>
                <ul>
                  {ret.blockers.map((b) => (
                    <li key={b} data-testid="return-blocker">
                      {blockerText(t, b, ret.tables)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="alert alert-success" data-testid="return-ready">
                {t("returns.ready")}
              </p>
            )}
          </div>
          <ProblemAlert problem={problem} />
          <div className="form-actions form-actions-center">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy || blocked}
              aria-describedby={blocked ? "return-blockers-note" : undefined}
              data-testid="return-submit"
            >
              {busy ? t("returns.submitting") : t("returns.submit")}
            </button>
            {blocked && (
              <span id="return-blockers-note" className="small muted">
                {t("returns.blockedNote")}
              </span>
            )}
          </div>
        </form>
      ) : (
        <div className="panel stack">
          <p data-testid="return-published-status">
            <ReturnStatusBadge status={ret.status} />{" "}
            {ret.status === "submitted"
              ? t("returns.submittedNote")
              : ret.status === "acknowledged"
                ? t("returns.acknowledgedNote", { at: format.dateTime(ret.acknowledgedAt) })
                : t("returns.rejectedNote")}
          </p>
          {ret.status !== "submitted" && ret.status !== "draft" && (
            <p className="small">
              <Link to="/statistics/returns">{t("returns.reviseHint", { year: ret.year })}</Link>
            </p>
          )}
        </div>
      )}
      <p className="form-actions return-downloads" data-testid="return-downloads">
        <a className="button button-secondary" href={csv} download data-testid="return-sdmx-csv">
          {t("returns.downloadCsv")}
        </a>
        <a className="button button-secondary" href={json} download data-testid="return-sdmx-json">
          {t("returns.downloadJson")}
        </a>
      </p>
      <p className="small muted">{draft ? t("returns.downloadDraftHint") : t("returns.downloadHint")}</p>
    </section>
  );
}
