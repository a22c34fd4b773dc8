/**
 * Recording a charge, or recording it again as it stands now: the person, offence and
 * provision, the court, the stage, and once judged the verdict, the sentence (custodial
 * months, life, a fine) and the appeal.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type ChargeBody,
  type ChargeView,
  forFields,
  type PersonView,
  run,
} from "../../../api.ts";
import {
  CheckboxField,
  FieldError,
  FieldGroup,
  fieldErrors,
  localProblem,
  opt,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
  wholeNumber,
} from "../../../components/form/index.ts";
import { APPEALS, JUDGED_STAGES, PROSECUTION_STAGES, VERDICTS } from "../../../constants.ts";

type Stage = NonNullable<ChargeBody["stage"]>;
type Verdict = NonNullable<ChargeBody["verdict"]>;
type Appeal = NonNullable<ChargeBody["appeal"]>;

interface Draft {
  personId: string;
  offence: string;
  legalProvision: string;
  court: string;
  courtCaseNumber: string;
  stage: Stage;
  verdict: Verdict | "";
  verdictDate: string;
  custodialMonths: string;
  life: boolean;
  fineValue: string;
  fineCurrency: string;
  sentenceText: string;
  appeal: Appeal;
}

function draftOf(c: ChargeView | null): Draft {
  return {
    personId: c?.personId ?? "",
    offence: c?.offence ?? "",
    legalProvision: c?.legalProvision ?? "",
    court: c?.court ?? "",
    courtCaseNumber: c?.courtCaseNumber ?? "",
    stage: c?.stage ?? "charged",
    verdict: c?.verdict ?? "",
    verdictDate: c?.verdictDate ?? "",
    custodialMonths: c?.sentence?.custodialMonths !== undefined ? String(c.sentence.custodialMonths) : "",
    life: c?.sentence?.life === true,
    fineValue: c?.sentence?.fine ? String(c.sentence.fine.value) : "",
    fineCurrency: c?.sentence?.fine?.currency ?? "USD",
    sentenceText: c?.sentence?.text ?? "",
    appeal: c?.appeal ?? "none",
  };
}

const FIELDS = [
  "personId",
  "offence",
  "legalProvision",
  "court",
  "courtCaseNumber",
  "stage",
  "verdict",
  "verdictDate",
  "sentence",
  "sentence.custodialMonths",
  "sentence.life",
  "sentence.fine",
  "sentence.fine.value",
  "sentence.fine.currency",
  "sentence.text",
  "appeal",
];

export function ChargeForm({
  caseId,
  persons,
  charge,
  prefix,
  onSaved,
  onCancel,
}: {
  caseId: string;
  persons: PersonView[];
  charge: ChargeView | null;
  prefix: string;
  onSaved: (c: ChargeView) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(() => draftOf(charge));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));
  const err = fieldErrors(problem);
  const judged = JUDGED_STAGES.has(d.stage);
  const verdict = judged ? d.verdict : "";
  const convicted = verdict === "convicted";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const months = wholeNumber(d.custodialMonths);
    const fine = d.fineValue.trim() ? Number(d.fineValue.replace(",", ".")) : null;
    const bad: Record<string, string> = {};
    if (convicted && Number.isNaN(months))
      bad["sentence.custodialMonths"] = "must be a whole number of months";
    if (convicted && fine !== null && !Number.isFinite(fine)) bad["sentence.fine.value"] = "Invalid input";
    if (Object.keys(bad).length > 0) {
      setProblem(localProblem(bad));
      return;
    }
    const body: ChargeBody = {
      offence: d.offence.trim(),
      legalProvision: d.legalProvision.trim(),
      court: opt(d.court),
      courtCaseNumber: opt(d.courtCaseNumber),
      stage: d.stage,
      appeal: verdict ? d.appeal : "none",
    };
    if (d.personId) body.personId = d.personId;
    if (verdict) {
      body.verdict = verdict;
      if (d.verdictDate) body.verdictDate = d.verdictDate;
    }
    if (convicted) {
      const sentence: NonNullable<ChargeBody["sentence"]> = {};
      if (d.life) sentence.life = true;
      if (months !== null && !Number.isNaN(months)) sentence.custodialMonths = months;
      if (fine !== null) sentence.fine = { value: fine, currency: d.fineCurrency.trim().toUpperCase() };
      if (opt(d.sentenceText)) sentence.text = d.sentenceText.trim();
      if (Object.keys(sentence).length > 0) body.sentence = sentence;
    }
    setBusy(true);
    const r = charge
      ? await run(
          api.PUT("/api/cases/{id}/charges/{chargeId}", {
            params: { path: { id: caseId, chargeId: charge.id } },
            body,
          }),
        )
      : await run(api.POST("/api/cases/{id}/charges", { params: { path: { id: caseId } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, FIELDS));
      return;
    }
    onSaved(r.data);
    if (!charge) {
      setD(draftOf(null));
      setDone(t("charges.added", { offence: r.data.offence }));
    }
  };

  // Suspects first: they are who is usually charged.
  const accused = [...persons].sort((a, b) => Number(b.role === "suspect") - Number(a.role === "suspect"));
  return (
    <>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid compact-form">
        <TextField
          label={t("charges.offence")}
          hint={t("charges.offenceHint")}
          value={d.offence}
          onChange={set("offence")}
          dir="auto"
          error={err("offence")}
          testId={`${prefix}-offence`}
        />
        <TextField
          label={t("charges.legalProvision")}
          hint={t("charges.legalProvisionHint")}
          value={d.legalProvision}
          onChange={set("legalProvision")}
          dir="auto"
          error={err("legalProvision")}
          testId={`${prefix}-provision`}
        />
        <SelectField
          label={t("charges.accused")}
          value={d.personId}
          onChange={set("personId")}
          options={[
            { value: "", label: t("charges.noAccused") },
            ...accused.map((p) => ({
              value: p.id,
              label: `${p.displayName} (${t(`personRole.${p.role}`)})`,
            })),
          ]}
          error={err("personId")}
          testId={`${prefix}-person`}
        />
        <TextField
          label={t("charges.courtOptional")}
          value={d.court}
          onChange={set("court")}
          dir="auto"
          error={err("court")}
          testId={`${prefix}-court`}
        />
        <TextField
          label={t("charges.courtCaseNumber")}
          value={d.courtCaseNumber}
          onChange={set("courtCaseNumber")}
          dir="ltr"
          autoComplete="off"
          error={err("courtCaseNumber")}
          testId={`${prefix}-case-number`}
        />
        <SelectField
          label={t("charges.stage")}
          hint={t("charges.stageHint")}
          value={d.stage}
          onChange={(v) => set("stage")(PROSECUTION_STAGES.find((s) => s === v) ?? "charged")}
          options={PROSECUTION_STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))}
          error={err("stage")}
          testId={`${prefix}-stage`}
        />
        {judged && (
          <>
            <SelectField
              label={t("charges.verdict")}
              value={d.verdict}
              onChange={(v) => set("verdict")(VERDICTS.find((x) => x === v) ?? "")}
              options={[
                { value: "", label: t("charges.chooseVerdict") },
                ...VERDICTS.map((x) => ({ value: x, label: t(`verdict.${x}`) })),
              ]}
              error={err("verdict")}
              testId={`${prefix}-verdict`}
            />
            <TextField
              type="date"
              label={t("charges.verdictDate")}
              value={d.verdictDate}
              onChange={set("verdictDate")}
              error={err("verdictDate")}
              testId={`${prefix}-verdict-date`}
            />
          </>
        )}
        {convicted && (
          <FieldGroup variant="sub" className="form-grid-wide" legend={t("charges.sentence")}>
            {err("sentence") && <FieldError message={err("sentence") ?? ""} />}
            <div className="form-grid form-grid-3">
              <TextField
                label={t("charges.custodialMonths")}
                value={d.custodialMonths}
                onChange={set("custodialMonths")}
                inputMode="numeric"
                maxLength={4}
                autoComplete="off"
                disabled={d.life}
                error={err("sentence.custodialMonths")}
                testId={`${prefix}-months`}
              />
              <TextField
                label={t("charges.fine")}
                value={d.fineValue}
                onChange={set("fineValue")}
                inputMode="decimal"
                autoComplete="off"
                dir="ltr"
                error={err("sentence.fine.value", "sentence.fine")}
                testId={`${prefix}-fine`}
              />
              <TextField
                label={t("crisis.currency")}
                hint={t("crisis.currencyHint")}
                value={d.fineCurrency}
                onChange={(v) => set("fineCurrency")(v.toUpperCase())}
                maxLength={3}
                autoComplete="off"
                spellCheck={false}
                dir="ltr"
                error={err("sentence.fine.currency")}
                testId={`${prefix}-fine-currency`}
              />
            </div>
            <CheckboxField
              label={t("charges.life")}
              checked={d.life}
              onChange={(v) =>
                setD((prev) => ({ ...prev, life: v, custodialMonths: v ? "" : prev.custodialMonths }))
              }
              error={err("sentence.life")}
              testId={`${prefix}-life`}
            />
            <TextField
              label={t("charges.sentenceText")}
              value={d.sentenceText}
              onChange={set("sentenceText")}
              dir="auto"
              error={err("sentence.text")}
              testId={`${prefix}-sentence-text`}
            />
          </FieldGroup>
        )}
        {verdict && (
          <SelectField
            label={t("charges.appeal")}
            value={d.appeal}
            onChange={(v) => set("appeal")(APPEALS.find((x) => x === v) ?? "none")}
            options={APPEALS.map((x) => ({ value: x, label: t(`appeal.${x}`) }))}
            error={err("appeal")}
            testId={`${prefix}-appeal`}
          />
        )}
        <div className="form-grid-wide form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid={`${prefix}-submit`}
          >
            {busy ? t("common.saving") : charge ? t("charges.saveChanges") : t("charges.submit")}
          </button>
          {onCancel && (
            <button type="button" className="button button-secondary" onClick={onCancel}>
              {t("common.cancel")}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
