/**
 * Moving a case along its lifecycle (the lead and the crisis team): the next
 * statuses it may take, the outcome when it is resolved, and the reason the
 * lifecycle asks for when it goes back.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CaseOutcome,
  type CaseStatus,
  type CaseView,
  forFields,
  run,
} from "../../../api.ts";
import { CaseStatusBadge } from "../../../components/CaseBadges.tsx";
import {
  localProblem,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextAreaField,
} from "../../../components/form/index.ts";
import { ALL_OUTCOMES, may, nextStatuses, transitionNeedsReason } from "../../../constants.ts";

export function StatusPanel({ kase, onChanged }: { kase: CaseView; onChanged: (c: CaseView) => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState<CaseStatus | "">("");
  const [outcome, setOutcome] = useState<CaseOutcome | "">("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = nextStatuses(kase.status);
  const needsReason = to !== "" && transitionNeedsReason(kase.status, to);
  const canChange = may(kase, "case.transition");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    if (to === "") {
      setProblem(localProblem({ to: "must not be empty" }));
      return;
    }
    const body: { to: CaseStatus; outcome?: CaseOutcome; reason?: string } = { to };
    if (to === "resolved" && outcome) body.outcome = outcome;
    if (needsReason && reason.trim()) body.reason = reason.trim();
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/transition", { params: { path: { id: kase.id } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["to", "outcome", "reason"]));
      return;
    }
    onChanged(r.data);
    setTo("");
    setOutcome("");
    setReason("");
    setDone(t("case.statusChanged", { status: t(`caseStatus.${r.data.status}`) }));
  };

  return (
    <section className="panel" aria-labelledby="case-status-title">
      <h2 id="case-status-title">{t("case.statusTitle")}</h2>
      <dl className="details">
        <dt>{t("case.status")}</dt>
        <dd>
          <CaseStatusBadge status={kase.status} />
        </dd>
        {kase.outcome && (
          <>
            <dt>{t("case.outcome")}</dt>
            <dd>{t(`outcome.${kase.outcome}`)}</dd>
          </>
        )}
      </dl>
      <StatusMessage message={done} />
      {canChange ? (
        <>
          <ProblemAlert problem={problem} />
          <form onSubmit={(e) => void submit(e)} noValidate className="stack subsection">
            <SelectField
              label={t("case.transitionTo")}
              value={to}
              onChange={(v) => {
                setTo(next.find((s) => s === v) ?? "");
                setProblem(null);
              }}
              options={[
                { value: "", label: t("case.chooseStatus") },
                ...next.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
              ]}
              error={problem?.fields.to}
              testId="case-transition-to"
            />
            {to === "resolved" && (
              <SelectField
                label={t("case.outcome")}
                hint={t("case.outcomeHint")}
                value={outcome}
                onChange={(v) => setOutcome(ALL_OUTCOMES.find((o) => o === v) ?? "")}
                options={[
                  { value: "", label: t("case.chooseOutcome") },
                  ...ALL_OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) })),
                ]}
                error={problem?.fields.outcome}
                testId="case-transition-outcome"
              />
            )}
            {needsReason && (
              <TextAreaField
                label={t("case.reason")}
                hint={t("case.reasonHint")}
                value={reason}
                onChange={setReason}
                dir="auto"
                error={problem?.fields.reason}
                testId="case-transition-reason"
              />
            )}
            <div>
              <button
                type="submit"
                className="button button-primary"
                disabled={busy}
                data-testid="case-transition-submit"
              >
                {busy ? t("common.saving") : t("case.transitionSubmit")}
              </button>
            </div>
          </form>
        </>
      ) : (
        <p className="muted subsection">{t("case.statusMemberNote")}</p>
      )}
    </section>
  );
}
