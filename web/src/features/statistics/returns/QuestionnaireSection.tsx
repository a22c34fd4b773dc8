/**
 * The questionnaire of an annual return on legislation and domestic measures:
 * criminalisation and its elements, the maximum penalty (serious crime from four years),
 * aggravating circumstances, and the measures answered yes, no, partly or unknown.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type Questionnaire, type ReturnView, run } from "../../../api.ts";
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
import { AGGRAVATING, ELEMENTS, UNTOC_PARTY, YES_NO, YES_NO_QUESTIONS } from "../common.tsx";

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

export function QuestionnaireSection({
  ret,
  onChange,
}: {
  ret: ReturnView;
  onChange: (r: ReturnView) => void;
}) {
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
