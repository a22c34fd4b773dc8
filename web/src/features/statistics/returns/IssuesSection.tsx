/**
 * The validation of an annual return against the previous year: each flagged change,
 * the note it needs, and a general note; saved while the return is a draft.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  forFields,
  type ReturnView,
  run,
  type StatTable,
  type ValidationIssue,
} from "../../../api.ts";
import { ProblemAlert, StatusMessage, TextAreaField } from "../../../components/form/index.ts";
import { keyLabel, tableTitle } from "../common.tsx";

export function IssuesSection({ ret, onChange }: { ret: ReturnView; onChange: (r: ReturnView) => void }) {
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
