/**
 * Opening a case. Its statistical class is derived from the recorded elements
 * (the common definition, ECOSOC 2002/16 §1): the same pure rules the server
 * applies run here as a live preview; the server remains the authority.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { type Classification, classify, parseIncident } from "../../../src/domain/definition.ts";
import {
  type ApiProblem,
  api,
  type CreateCaseBody,
  forFields,
  type HandlingCode,
  run,
  type Tlp,
} from "../api.ts";
import { ClassificationReasons, iccsText } from "../components/CaseBadges.tsx";
import { CheckboxField, CheckboxGroup, ProblemAlert, SelectField, TextField } from "../components/Form.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { ALL_HANDLING, ALL_TLP, CONTEXTS, PURPOSES } from "../constants.ts";
import { fromLocalInput } from "../format.ts";
import { useSignedIn } from "../session.tsx";

type Elements = CreateCaseBody["elements"];
type Purpose = Elements["purpose"];
type Context = NonNullable<Elements["context"]>;
type BooleanElement = "victimDetained" | "victimMoved" | "againstWill" | "takenByParentOrGuardian";

interface Draft {
  title: string;
  occurredAt: string;
  reportedAt: string;
  country: string;
  region: string;
  latitude: string;
  longitude: string;
  victimDetained: boolean;
  victimMoved: boolean;
  againstWill: boolean;
  purpose: Purpose;
  age: string;
  takenByParentOrGuardian: boolean;
  context: Context;
  tlp: Tlp;
  handling: HandlingCode[];
}

const FIELDS = [
  "title",
  "occurredAt",
  "reportedAt",
  "place.country",
  "place.region",
  "place.latitude",
  "place.longitude",
  "elements.victimDetained",
  "elements.victimMoved",
  "elements.againstWill",
  "elements.purpose",
  "elements.victimAgeYears",
  "elements.takenByParentOrGuardian",
  "elements.context",
  "tlp",
  "handling",
];

/** A whole number typed in any of the interface's digit sets (Arabic-Indic included), or null. */
function wholeNumber(text: string): number | null | "invalid" {
  const ascii = text
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  if (ascii === "") return null;
  return /^\d{1,3}$/.test(ascii) ? Number(ascii) : "invalid";
}

function elementsOf(d: Draft): Elements {
  const age = wholeNumber(d.age);
  return {
    victimDetained: d.victimDetained,
    victimMoved: d.victimMoved,
    againstWill: d.againstWill,
    purpose: d.purpose,
    victimAgeYears: age === "invalid" ? Number.NaN : age,
    takenByParentOrGuardian: d.takenByParentOrGuardian,
    context: d.context,
  };
}

type Preview =
  | { ok: true; classification: Classification }
  | { ok: false; errors: { path: string; message: string }[] };

function preview(elements: Elements): Preview {
  // parseIncident refuses contradictions too, so classify never throws on what it accepts.
  const parsed = parseIncident(elements);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  return { ok: true, classification: classify(parsed.elements) };
}

export function NewCasePage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const navigate = useNavigate();
  const [d, setD] = useState<Draft>(() => ({
    title: "",
    occurredAt: "",
    reportedAt: "",
    country: /^[A-Z]{3}$/.test(session.nodeId) ? session.nodeId : "",
    region: "",
    latitude: "",
    longitude: "",
    victimDetained: true,
    victimMoved: false,
    againstWill: true,
    purpose: "unknown",
    age: "",
    takenByParentOrGuardian: false,
    context: "none",
    tlp: "amber",
    handling: ["H0"],
  }));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));

  const elements = elementsOf(d);
  const result = preview(elements);
  const ageInvalid = wholeNumber(d.age) === "invalid";
  const fieldError = (name: string) => problem?.fields[name];

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
      setProblem({
        code: "validation_failed",
        message: "",
        fields: { "elements.victimAgeYears": "must be a whole number" },
        otherFields: [],
        status: 0,
      });
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
    const r = await run(api.POST("/api/cases", { body }));
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
        <Link to="/cases">{t("cases.backToList")}</Link>
      </p>
      <PageTitle>{t("newCase.title")}</PageTitle>
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
        <fieldset className="panel form-grid">
          <legend className="panel-legend">{t("newCase.caseSection")}</legend>
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
        </fieldset>

        <fieldset className="panel form-grid">
          <legend className="panel-legend">{t("newCase.placeSection")}</legend>
          <TextField
            label={t("newCase.country")}
            hint={t("newCase.countryHint")}
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
        </fieldset>

        <fieldset className="panel elements">
          <legend className="panel-legend">{t("newCase.elementsSection")}</legend>
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
              onChange={(v) => set("purpose")(v as Purpose)}
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
              onChange={(v) => set("context")(v as Context)}
              options={CONTEXTS.map((c) => ({ value: c, label: t(`context.${c}`) }))}
              error={fieldError("elements.context")}
              testId="case-el-context"
            />
          </div>
        </fieldset>

        <ClassificationPreview result={result} />

        <fieldset className="panel form-grid">
          <legend className="panel-legend">{t("newCase.handlingSection")}</legend>
          <SelectField
            fieldClassName="form-grid-wide"
            label={t("case.tlp")}
            hint={t("newCase.tlpHint")}
            value={d.tlp}
            onChange={(v) => set("tlp")(v as Tlp)}
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
        </fieldset>

        <div>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="case-submit">
            {busy ? t("newCase.opening") : t("newCase.submit")}
          </button>
        </div>
      </form>
    </>
  );
}

function ClassificationPreview({ result }: { result: Preview }) {
  const { t } = useTranslation();
  return (
    <section
      className={`panel preview${result.ok && result.classification.kidnapping ? " preview-kidnapping" : ""}`}
      aria-labelledby="preview-title"
      data-testid="case-classification-preview"
      data-iccs={result.ok ? (result.classification.iccs ?? "none") : "contradiction"}
    >
      <h2 id="preview-title">{t("newCase.previewTitle")}</h2>
      <p className="muted small">{t("newCase.previewIntro")}</p>
      <div aria-live="polite" aria-atomic="true">
        {result.ok ? (
          <p className="preview-result">
            <span className="block">{t("newCase.countedAs")}</span>
            <strong className="block preview-class">{iccsText(t, result.classification.iccs)}</strong>
            <span className="block">
              {t("newCase.typeIs", { type: t(`caseType.${result.classification.type}`) })}
            </span>
            <span className={`badge ${result.classification.kidnapping ? "badge-alarm" : "badge-off"}`}>
              {result.classification.kidnapping
                ? t("classification.isKidnapping")
                : t("classification.notKidnapping")}
            </span>
          </p>
        ) : (
          <div className="alert alert-error">
            <p>
              <strong>{t("newCase.contradiction")}</strong>
            </p>
            <ul>
              {result.errors.map((e) => (
                <li key={`${e.path}:${e.message}`}>
                  <strong>{t(`elements.${e.path}`, { defaultValue: e.path })}</strong>:{" "}
                  <span lang="en" dir="ltr">
                    {e.message}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {result.ok && (
        <details className="reasons-details" open>
          <summary>{t("classification.reasons")}</summary>
          <ClassificationReasons reasons={result.classification.reasons} />
        </details>
      )}
    </section>
  );
}
