/**
 * The form that opens a case: the case, its place, the elements of the incident with
 * the live preview of its class, and its marking; from a notice, opened and linked to
 * it in one step.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type CreateCaseBody,
  forFields,
  type InboxMessageDetail,
  run,
} from "../../../api.ts";
import {
  CheckboxField,
  CheckboxGroup,
  FieldGroup,
  fieldErrors,
  localProblem,
  ProblemAlert,
  SelectField,
  TextField,
} from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { ALL_HANDLING, ALL_TLP, CONTEXTS, PURPOSES } from "../../../constants.ts";
import { fromLocalInput } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";
import { ClassificationPreview } from "./ClassificationPreview.tsx";
import {
  type BooleanElement,
  countryHintFromMessage,
  type Draft,
  draftFromMessage,
  elementsOf,
  emptyDraft,
  FIELDS,
  preview,
  typedAge,
} from "./draft.ts";
import { FromMessageBanner } from "./FromMessageBanner.tsx";

export function NewCaseForm({ source }: { source?: InboxMessageDetail }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const navigate = useNavigate();
  const [d, setD] = useState<Draft>(() =>
    source ? draftFromMessage(source, t) : emptyDraft(session.nodeId),
  );
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));

  const elements = elementsOf(d);
  const result = preview(elements);
  const ageInvalid = typedAge(d.age) === "invalid";
  const fieldError = fieldErrors(problem);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const body: CreateCaseBody = {
      title: d.title.trim(),
      place: { country: d.country.trim().toUpperCase() },
      elements: { ...elements, victimAgeYears: ageInvalid ? undefined : elements.victimAgeYears },
      tlp: d.tlp,
      handling: d.handling,
    };
    if (ageInvalid) {
      setProblem(localProblem({ "elements.victimAgeYears": "must be a whole number" }));
      return;
    }
    const occurredAt = fromLocalInput(d.occurredAt);
    const reportedAt = fromLocalInput(d.reportedAt);
    if (occurredAt) body.occurredAt = occurredAt;
    if (reportedAt) body.reportedAt = reportedAt;
    if (d.region.trim()) body.place.region = d.region.trim();
    if (d.latitude.trim()) body.place.latitude = Number(d.latitude);
    if (d.longitude.trim()) body.place.longitude = Number(d.longitude);
    setBusy(true);
    // From a notice: opened and linked to it in one step; the field paths are those of /api/cases.
    const r = source
      ? await run(
          api.POST("/api/federation/inbox/{id}/case", { params: { path: { id: source.id } }, body }),
        ).then((x) => (x.ok ? { ok: true as const, data: x.data.case } : x))
      : await run(api.POST("/api/cases", { body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, FIELDS));
      return;
    }
    void navigate(`/cases/${r.data.id}`, { state: { opened: r.data.reference } });
  };

  const boolean = (name: BooleanElement) => (
    <CheckboxField
      label={t(`elements.${name}`)}
      hint={t(`elements.${name}Hint`)}
      checked={d[name]}
      onChange={set(name)}
      error={fieldError(`elements.${name}`)}
      testId={`case-el-${name}`}
    />
  );

  return (
    <>
      <p className="breadcrumb">
        {source ? (
          <Link to={`/exchange/messages/${encodeURIComponent(source.id)}`}>
            {t("newCase.fromMessage.backToNotice")}
          </Link>
        ) : (
          <Link to="/cases">{t("cases.backToList")}</Link>
        )}
      </p>
      <PageTitle>{t("newCase.title")}</PageTitle>
      {source && <FromMessageBanner message={source} />}
      <p className="lead">{t("newCase.intro")}</p>
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        className="stack new-case"
        aria-labelledby="new-case-form"
      >
        <h2 id="new-case-form" className="visually-hidden">
          {t("newCase.title")}
        </h2>
        <ProblemAlert problem={problem} />
        <FieldGroup variant="panel" className="form-grid" legend={t("newCase.caseSection")}>
          <TextField
            fieldClassName="form-grid-wide"
            label={t("case.title")}
            hint={t("newCase.titleHint")}
            value={d.title}
            onChange={set("title")}
            required
            maxLength={200}
            autoComplete="off"
            error={fieldError("title")}
            testId="case-title"
          />
          <TextField
            type="datetime-local"
            label={t("newCase.occurredAt")}
            hint={t("newCase.occurredAtHint")}
            value={d.occurredAt}
            onChange={set("occurredAt")}
            error={fieldError("occurredAt")}
            testId="case-occurred-at"
          />
          <TextField
            type="datetime-local"
            label={t("newCase.reportedAt")}
            hint={t("newCase.reportedAtHint")}
            value={d.reportedAt}
            onChange={set("reportedAt")}
            error={fieldError("reportedAt")}
            testId="case-reported-at"
          />
        </FieldGroup>

        <FieldGroup variant="panel" className="form-grid" legend={t("newCase.placeSection")}>
          <TextField
            label={t("newCase.country")}
            hint={source ? countryHintFromMessage(t, source) : t("newCase.countryHint")}
            value={d.country}
            onChange={(v) => set("country")(v.toUpperCase())}
            required
            maxLength={3}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            dir="ltr"
            error={fieldError("place.country")}
            testId="case-country"
          />
          <TextField
            label={t("newCase.region")}
            value={d.region}
            onChange={set("region")}
            autoComplete="off"
            error={fieldError("place.region")}
            testId="case-region"
          />
          <TextField
            type="number"
            step="any"
            min={-90}
            max={90}
            label={t("newCase.latitude")}
            hint={t("newCase.latitudeHint")}
            value={d.latitude}
            onChange={set("latitude")}
            dir="ltr"
            error={fieldError("place.latitude")}
            testId="case-latitude"
          />
          <TextField
            type="number"
            step="any"
            min={-180}
            max={180}
            label={t("newCase.longitude")}
            hint={t("newCase.longitudeHint")}
            value={d.longitude}
            onChange={set("longitude")}
            dir="ltr"
            error={fieldError("place.longitude")}
            testId="case-longitude"
          />
        </FieldGroup>

        <FieldGroup variant="panel" className="elements" legend={t("newCase.elementsSection")}>
          <p className="muted">{t("newCase.elementsIntro")}</p>
          <div className="elements-checks">
            {boolean("victimDetained")}
            {boolean("againstWill")}
            {boolean("victimMoved")}
            {boolean("takenByParentOrGuardian")}
          </div>
          <div className="form-grid">
            <SelectField
              label={t("elements.purpose")}
              hint={t("elements.purposeHint")}
              value={d.purpose}
              onChange={(v) => set("purpose")(PURPOSES.find((p) => p === v) ?? "unknown")}
              options={PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}`) }))}
              error={fieldError("elements.purpose")}
              testId="case-el-purpose"
            />
            <TextField
              label={t("elements.victimAgeYears")}
              hint={t("elements.victimAgeYearsHint")}
              value={d.age}
              onChange={set("age")}
              inputMode="numeric"
              autoComplete="off"
              maxLength={3}
              error={fieldError("elements.victimAgeYears")}
              testId="case-el-victimAgeYears"
            />
            <SelectField
              fieldClassName="form-grid-wide"
              label={t("elements.context")}
              hint={t("elements.contextHint")}
              value={d.context}
              onChange={(v) => set("context")(CONTEXTS.find((c) => c === v) ?? "none")}
              options={CONTEXTS.map((c) => ({ value: c, label: t(`context.${c}`) }))}
              error={fieldError("elements.context")}
              testId="case-el-context"
            />
          </div>
        </FieldGroup>

        <ClassificationPreview result={result} />

        <FieldGroup variant="panel" className="form-grid" legend={t("newCase.handlingSection")}>
          <SelectField
            fieldClassName="form-grid-wide"
            label={t("case.tlp")}
            hint={t("newCase.tlpHint")}
            value={d.tlp}
            onChange={(v) => set("tlp")(ALL_TLP.find((l) => l === v) ?? "amber")}
            options={ALL_TLP.map((l) => ({
              value: l,
              label: `TLP:${l.toUpperCase()} — ${t(`tlp.${l === "amber+strict" ? "amber-strict" : l}`)}`,
            }))}
            error={fieldError("tlp")}
            testId="case-tlp-select"
          />
          <div className="form-grid-wide">
            <CheckboxGroup
              legend={t("newCase.handlingCodes")}
              hint={t("newCase.handlingHint")}
              options={ALL_HANDLING.map((h) => ({ value: h, label: h }))}
              selected={d.handling}
              onChange={set("handling")}
              error={fieldError("handling")}
              testIdPrefix="case-handling-"
            />
          </div>
        </FieldGroup>

        <div>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="case-submit">
            {busy ? t("newCase.opening") : t("newCase.submit")}
          </button>
        </div>
      </form>
    </>
  );
}
