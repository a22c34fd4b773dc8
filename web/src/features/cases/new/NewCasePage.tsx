/**
 * Opening a case. Its statistical class is derived from the recorded elements
 * (the common definition, ECOSOC 2002/16 §1): the same pure rules the server
 * applies run here as a live preview; the server remains the authority.
 *
 * `?fromMessage=<id>` opens it from a received abducted-person notice: the form is
 * pre-filled from the notice (title from its summary, when the victim was last seen,
 * the victim's age, its TLP and handling codes — the country is left to the officer:
 * a notice gives a place as free text), and the case is opened and linked to the
 * notice in one step (`POST /api/federation/inbox/{id}/case`).
 */
import type { TFunction } from "i18next";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { type Classification, classify, parseIncident } from "../../../../../src/domain/definition.ts";
import {
  type ApiProblem,
  api,
  type CreateCaseBody,
  forFields,
  type HandlingCode,
  type InboxMessageDetail,
  run,
  type Tlp,
} from "../../../api.ts";
import { ClassificationReasons, iccsText } from "../../../components/CaseBadges.tsx";
import { isTlp, messageTypeLabel } from "../../../components/Federation.tsx";
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
import { fromLocalInput, useFormat } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";

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

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** An instant as a datetime-local input shows it (the user's local time), or "" when it is not one. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Whole years from a date of birth (YYYY-MM-DD) to an instant, or null. */
function ageAt(dateOfBirth: string, at: Date): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = at.getUTCFullYear() - year;
  if (at.getUTCMonth() + 1 < month || (at.getUTCMonth() + 1 === month && at.getUTCDate() < day)) age--;
  return age >= 0 && age < 150 ? age : null;
}

/** Text cut to a field's length at a word boundary, with an ellipsis. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function emptyDraft(nodeId: string): Draft {
  return {
    title: "",
    occurredAt: "",
    reportedAt: "",
    country: /^[A-Z]{3}$/.test(nodeId) ? nodeId : "",
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
  };
}

/**
 * The draft a notice proposes. An abducted-person notice says a person is held
 * against their will (the defaults); when they were last seen stands for when it
 * happened, if it is past; the age is the victim's then. The country stays empty:
 * the notice's place is free text, and the sender's country is not necessarily
 * where it happened — the officer says.
 */
function draftFromMessage(m: InboxMessageDetail, t: TFunction): Draft {
  const body = obj(m.body);
  const victim = obj(body.victim);
  const lastSeenAt = str(obj(body.lastSeen).at);
  const seen = lastSeenAt && new Date(lastSeenAt).getTime() <= Date.now() ? lastSeenAt : "";
  const range = obj(victim.ageRange);
  const age =
    ageAt(str(victim.dateOfBirth), new Date(seen || m.sentAt)) ??
    (typeof range.min === "number" && range.min === range.max ? range.min : null);
  const handling = ALL_HANDLING.filter((h) => m.handling.includes(h));
  return {
    ...emptyDraft(""),
    title: clip(str(body.summary) || t("newCase.fromMessage.defaultTitle", { sender: m.sender }), 200),
    occurredAt: seen ? toLocalInput(seen) : "",
    age: age === null ? "" : String(age),
    tlp: isTlp(m.tlp) ? m.tlp : "amber",
    handling: handling.length ? handling : ["H0"],
  };
}

export function NewCasePage() {
  const [params] = useSearchParams();
  const fromMessage = params.get("fromMessage");
  return fromMessage ? <NewCaseFromMessage id={fromMessage} key={fromMessage} /> : <NewCaseForm />;
}

/** The notice first (an audited read, as any reading of it); then the form, pre-filled. */
function NewCaseFromMessage({ id }: { id: string }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<InboxMessageDetail | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/federation/inbox/{id}", { params: { path: { id } } }));
      if (cancelled) return;
      if (r.ok) setMessage(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [id]);
  if (problem) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/exchange">{t("exchange.message.backToInbox")}</Link>
        </p>
        <PageTitle>{t("newCase.title")}</PageTitle>
        <ProblemAlert problem={problem} />
      </>
    );
  }
  if (!message) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  return <NewCaseForm source={message} />;
}

/** Where a case opened from a notice comes from, above its form. */
function FromMessageBanner({ message }: { message: InboxMessageDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div
      className="alert alert-info from-message"
      data-testid="case-from-message"
      data-message-id={message.id}
      data-sender={message.sender}
    >
      <p className="from-message-head">
        <strong>
          {t("newCase.fromMessage.banner", { id: message.id.slice(0, 8), sender: message.sender })}
        </strong>
      </p>
      <p>
        {t("newCase.fromMessage.received", {
          type: messageTypeLabel(t, message.type),
          time: format.dateTime(message.receivedAt),
        })}{" "}
        {t("newCase.fromMessage.explain")}
      </p>
      {message.handling.includes("H1") && (
        <p className="from-message-h1" data-testid="case-from-message-h1">
          <span className="handling-code" dir="ltr">
            H1
          </span>{" "}
          {t("exchange.handling.H1.text", { sender: message.sender })}
        </p>
      )}
      <p>
        <Link to={`/exchange/messages/${encodeURIComponent(message.id)}`}>
          {t("newCase.fromMessage.readNotice")}
        </Link>
      </p>
    </div>
  );
}

function NewCaseForm({ source }: { source?: InboxMessageDetail }) {
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
  const ageInvalid = wholeNumber(d.age) === "invalid";
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
        </FieldGroup>

        <ClassificationPreview result={result} />

        <FieldGroup variant="panel" className="form-grid" legend={t("newCase.handlingSection")}>
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

/** The country is the officer's to say; the hint gives what the notice tells of the place. */
function countryHintFromMessage(t: TFunction, m: InboxMessageDetail): string {
  const place = str(obj(obj(m.body).lastSeen).place);
  const said = place
    ? t("newCase.fromMessage.countryHintPlace", { sender: m.sender, place })
    : t("newCase.fromMessage.countryHintSender", { sender: m.sender });
  return `${said} ${t("newCase.countryHint")}`;
}
