/**
 * Composing a message to peer nodes: a notice about an abducted or a wanted
 * person (with a sketch of the person), a modus-operandi notice, a ransom watch
 * (banknote serial ranges, accounts, wallets, phones) or a request for
 * information; its recipients, its TLP marking and handling codes, and
 * optionally the local case it is about (never sent). The node validates the
 * body against the type's schema and says which field it refused.
 */
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type CaseView,
  forFields,
  type HandlingCode,
  type Partner,
  run,
  type SendMessageBody,
  type Tlp,
} from "../../../api.ts";
import { PeerStatusBadge, partnerLabel } from "../../../components/Federation.tsx";
import {
  ageRangeOf,
  CheckboxGroup,
  codeList,
  EMPTY_PERSON,
  FieldError,
  FieldGroup,
  fieldErrors,
  lines,
  localProblem,
  opt,
  PersonFields,
  type PersonDraft as PersonSketch,
  ProblemAlert,
  RadioOptions,
  SelectField,
  StatusMessage,
  TextAreaField,
  TextField,
} from "../../../components/form/index.ts";
import {
  ALL_HANDLING,
  ALL_TLP,
  COMPOSE_TYPES,
  type ComposeType,
  MESSAGE_TYPE_KEYS,
  NOTICE_REQUESTS,
  OPERATIONAL_TYPES,
  URGENCIES,
} from "../../../constants.ts";
import { fromLocalInput } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";
import { usePartners } from "../partners.tsx";

type NoticeRequest = (typeof NOTICE_REQUESTS)[number];
type Urgency = (typeof URGENCIES)[number];

/** The person of a notice, with a description of them (a notice's sketch). */
interface PersonDraft extends PersonSketch {
  description: string;
}

interface Banknotes {
  currency: string;
  serialFrom: string;
  serialTo: string;
}

interface Wallet {
  asset: string;
  address: string;
}

interface Draft {
  type: ComposeType;
  mode: "chosen" | "all";
  chosen: string[];
  tlp: Tlp;
  handling: HandlingCode[];
  namedRecipients: string;
  /** H3: the other restrictions, in words. */
  restrictions: string;
  caseId: string;
  summary: string;
  caseReference: string;
  circumstances: string;
  lastSeenPlace: string;
  lastSeenAt: string;
  request: NoticeRequest;
  person: PersonDraft;
  typology: string;
  indicators: string;
  banknotes: Banknotes[];
  accounts: string;
  wallets: Wallet[];
  phones: string;
  question: string;
  urgency: Urgency;
}

const EMPTY_NOTICE_PERSON: PersonDraft = { ...EMPTY_PERSON, description: "" };

const EMPTY: Draft = {
  type: "notice.abducted-person",
  mode: "chosen",
  chosen: [],
  tlp: "amber",
  handling: ["H0"],
  namedRecipients: "",
  restrictions: "",
  caseId: "",
  summary: "",
  caseReference: "",
  circumstances: "",
  lastSeenPlace: "",
  lastSeenAt: "",
  request: "locate",
  person: EMPTY_NOTICE_PERSON,
  typology: "",
  indicators: "",
  banknotes: [{ currency: "", serialFrom: "", serialTo: "" }],
  accounts: "",
  wallets: [{ asset: "", address: "" }],
  phones: "",
  question: "",
  urgency: "routine",
};

/** User names typed as a list ("ana.ruiz, pedro.lopez"). */
export function userNames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

function personFields(prefix: string): string[] {
  const p = `body.${prefix}`;
  return [
    p,
    `${p}.names`,
    `${p}.names.0`,
    `${p}.names.0.given`,
    `${p}.names.0.family`,
    `${p}.names.1`,
    `${p}.names.1.given`,
    `${p}.names.1.family`,
    `${p}.names.1.script`,
    `${p}.dateOfBirth`,
    `${p}.ageRange`,
    `${p}.sex`,
    `${p}.nationalities`,
    `${p}.description`,
  ];
}

/** The names of the form's fields, as the node names them (`body.` is the request's body field). */
function knownFields(d: Draft): string[] {
  const fields = [
    "to",
    "type",
    "version",
    "tlp",
    "handling",
    "namedRecipients",
    "restrictions",
    "caseId",
    "thread",
    "body.summary",
    "body.caseReference",
    "body.circumstances",
    "body.lastSeen",
    "body.lastSeen.place",
    "body.lastSeen.at",
    "body.request",
    "body.typology",
    "body.indicators",
    "body.banknotes",
    "body.accounts",
    "body.wallets",
    "body.phones",
    "body.question",
    "body.urgency",
    ...personFields("victim"),
    ...personFields("person"),
  ];
  d.banknotes.forEach((_, i) => {
    fields.push(
      `body.banknotes.${i}.currency`,
      `body.banknotes.${i}.serialFrom`,
      `body.banknotes.${i}.serialTo`,
    );
  });
  d.wallets.forEach((_, i) => {
    fields.push(`body.wallets.${i}.asset`, `body.wallets.${i}.address`);
  });
  return fields;
}

type BuildResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; fields: Record<string, string> };

function buildSketch(p: PersonDraft, prefix: string): BuildResult {
  const ageRange = ageRangeOf(p);
  if (ageRange === "invalid") {
    return { ok: false, fields: { [`body.${prefix}.ageRange`]: "must be a whole number" } };
  }
  // A name with neither part is left out: the node then says that a name is needed.
  const names: Record<string, string>[] = [];
  const first: Record<string, string> = {};
  if (opt(p.given)) first.given = p.given.trim();
  if (opt(p.family)) first.family = p.family.trim();
  if (first.given || first.family) names.push(first);
  if (opt(p.otherGiven) || opt(p.otherFamily)) {
    const other: Record<string, string> = { script: p.otherScript };
    if (opt(p.otherGiven)) other.given = p.otherGiven.trim();
    if (opt(p.otherFamily)) other.family = p.otherFamily.trim();
    names.push(other);
  }
  const sketch: Record<string, unknown> = {
    names,
    sex: p.sex,
    nationalities: codeList(p.nationalities),
  };
  if (p.dateOfBirth) sketch.dateOfBirth = p.dateOfBirth;
  if (ageRange) sketch.ageRange = ageRange;
  if (opt(p.description)) sketch.description = p.description.trim();
  return { ok: true, body: sketch };
}

function buildBody(d: Draft): BuildResult {
  const caseReference = opt(d.caseReference);
  switch (d.type) {
    case "notice.abducted-person":
    case "notice.wanted-person": {
      const key = d.type === "notice.abducted-person" ? "victim" : "person";
      const sketch = buildSketch(d.person, key);
      if (!sketch.ok) return sketch;
      const body: Record<string, unknown> = {
        summary: d.summary.trim(),
        [key]: sketch.body,
        request: d.request,
      };
      if (caseReference) body.caseReference = caseReference;
      if (d.type === "notice.abducted-person") {
        if (opt(d.circumstances)) body.circumstances = d.circumstances.trim();
        if (opt(d.lastSeenPlace) || d.lastSeenAt) {
          const lastSeen: Record<string, string> = { place: d.lastSeenPlace.trim() };
          const at = fromLocalInput(d.lastSeenAt);
          if (d.lastSeenAt && !at)
            return { ok: false, fields: { "body.lastSeen.at": "must be an ISO 8601 date-time" } };
          if (at) lastSeen.at = at;
          body.lastSeen = lastSeen;
        }
      }
      return { ok: true, body };
    }
    case "notice.modus-operandi": {
      const body: Record<string, unknown> = { summary: d.summary.trim(), indicators: lines(d.indicators) };
      if (opt(d.typology)) body.typology = d.typology;
      return { ok: true, body };
    }
    case "notice.ransom-watch":
      return {
        ok: true,
        body: {
          summary: d.summary.trim(),
          banknotes: d.banknotes
            .filter((b) => opt(b.currency) || opt(b.serialFrom) || opt(b.serialTo))
            .map((b) => ({
              currency: b.currency.trim().toUpperCase(),
              serialFrom: b.serialFrom.trim(),
              serialTo: b.serialTo.trim(),
            })),
          accounts: lines(d.accounts).map((a) => a.replace(/\s+/g, "")),
          wallets: d.wallets
            .filter((w) => opt(w.asset) || opt(w.address))
            .map((w) => ({ asset: w.asset.trim(), address: w.address.trim() })),
          phones: lines(d.phones),
        },
      };
    case "info-request": {
      const body: Record<string, unknown> = { question: d.question.trim(), urgency: d.urgency };
      if (caseReference) body.caseReference = caseReference;
      return { ok: true, body };
    }
  }
}

export function ComposeView() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [d, setD] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cases, setCases] = useState<CaseView[]>([]);

  // The peers to address: only the active ones receive messages; the others are named with their state.
  const { partners, problem: partnersProblem } = usePartners();
  const canWorkCases = session.can("cases.work");
  // From a case page (?case=<id>): the message is about that case, with its marking.
  const [searchParams] = useSearchParams();
  const fromCase = searchParams.get("case");
  // linkCase only reads its arguments and sets state: the cases are read once per case asked for.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (!canWorkCases) return;
    void (async () => {
      const r = await run(api.GET("/api/cases", { params: { query: { limit: 200 } } }));
      if (!r.ok) return;
      setCases(r.data.cases);
      if (fromCase && r.data.cases.some((c) => c.id === fromCase)) linkCase(fromCase, r.data.cases);
    })();
  }, [canWorkCases, fromCase]);

  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));
  const changePerson = (patch: Partial<PersonDraft>) =>
    setD((prev) => ({ ...prev, person: { ...prev.person, ...patch } }));
  const err = fieldErrors(problem);
  const isNotice = d.type === "notice.abducted-person" || d.type === "notice.wanted-person";
  const personKey = d.type === "notice.abducted-person" ? "victim" : "person";
  const recipients = (partners ?? []).filter((p) => p.status === "active");
  const unreachable: Partner[] = (partners ?? []).filter((p) => p.status !== "active");

  const linkCase = (id: string, list: CaseView[] = cases) => {
    const kase = list.find((c) => c.id === id);
    setD((prev) => ({
      ...prev,
      caseId: id,
      ...(kase
        ? {
            caseReference: prev.caseReference || kase.reference,
            tlp: kase.tlp,
            handling: [...kase.handling],
          }
        : {}),
    }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const to = d.mode === "all" ? "all" : [...new Set(d.chosen)];
    if (to !== "all" && to.length === 0) {
      setProblem(localProblem({ to: t("fieldErrors.chooseRecipient") }));
      return;
    }
    const built = buildBody(d);
    if (!built.ok) {
      setProblem(localProblem(built.fields));
      return;
    }
    const body: SendMessageBody = {
      to,
      type: d.type,
      version: 1,
      body: built.body,
      tlp: d.tlp,
      handling: d.handling,
    };
    if (d.caseId) body.caseId = d.caseId;
    const names = userNames(d.namedRecipients);
    // Left out when empty: the node then says that TLP:RED needs them.
    if (d.tlp === "red" && names.length > 0) body.namedRecipients = names;
    // Likewise: the node says that H3 needs its restrictions in words.
    if (d.handling.includes("H3") && d.restrictions.trim()) body.restrictions = d.restrictions.trim();
    setBusy(true);
    const r = await run(api.POST("/api/federation/messages", { body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, knownFields(d)));
      return;
    }
    const nodes = r.data.messages.map((m) => m.recipient);
    setDone(
      t("exchange.compose.sent", {
        type: t(`messageType.${MESSAGE_TYPE_KEYS[d.type] ?? "infoRequest"}`),
        nodes: nodes.join(t("common.listSeparator")),
      }),
    );
    setD((prev) => ({ ...EMPTY, type: prev.type, mode: prev.mode, chosen: prev.chosen }));
  };

  const personErr = (field: string) => err(`body.${personKey}.${field}`);

  return (
    <section className="section compose" aria-labelledby="compose-title">
      <h2 id="compose-title">{t("exchange.compose.title")}</h2>
      <p className="muted">{t("exchange.compose.intro")}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <FieldGroup variant="panel" className="form-grid" legend={t("exchange.compose.messageSection")}>
          <SelectField
            label={t("exchange.compose.type")}
            hint={t(`exchange.typeHint.${MESSAGE_TYPE_KEYS[d.type] ?? "infoRequest"}`)}
            value={d.type}
            onChange={(v) => set("type")(COMPOSE_TYPES.find((x) => x === v) ?? "notice.abducted-person")}
            options={COMPOSE_TYPES.map((x) => ({
              value: x,
              label: t(`messageType.${MESSAGE_TYPE_KEYS[x]}`),
            }))}
            error={err("type", "version")}
            testId="compose-type"
          />
          {canWorkCases && (
            <SelectField
              label={t("exchange.compose.case")}
              hint={t("exchange.compose.caseHint")}
              value={d.caseId}
              onChange={linkCase}
              options={[
                { value: "", label: t("exchange.compose.noCase") },
                ...cases.map((c) => ({ value: c.id, label: `${c.reference} — ${c.title}` })),
              ]}
              error={err("caseId")}
              testId="compose-case"
            />
          )}
        </FieldGroup>

        <FieldGroup
          variant="panel"
          className="recipients"
          legend={t("exchange.compose.recipients")}
          error={err("to")}
          errorTestId="compose-to-error"
          testId="compose-recipients"
        >
          <RadioOptions
            options={[
              { value: "all", label: t("exchange.compose.toAll"), testId: "compose-to-all" },
              { value: "chosen", label: t("exchange.compose.toChosen"), testId: "compose-to-chosen" },
            ]}
            value={d.mode}
            onChange={set("mode")}
          />
          {d.mode === "chosen" && (
            <div className="recipients-chosen">
              {partners === null ? (
                partnersProblem ? (
                  <ProblemAlert problem={partnersProblem} />
                ) : (
                  <p className="muted">{t("common.loading")}</p>
                )
              ) : recipients.length > 0 ? (
                <CheckboxGroup
                  legend={t("exchange.compose.knownPeers")}
                  hint={t("exchange.compose.partnersHint")}
                  options={recipients.map((p) => ({ value: p.nodeId, label: partnerLabel(p) }))}
                  selected={d.chosen}
                  onChange={set("chosen")}
                  testIdPrefix="compose-to-"
                />
              ) : (
                <p className="field-hint" data-testid="compose-no-partners">
                  {t("exchange.compose.noActivePartners")}
                </p>
              )}
              {unreachable.length > 0 && <UnreachablePartners partners={unreachable} />}
            </div>
          )}
        </FieldGroup>

        <FieldGroup variant="panel" className="form-grid" legend={t("exchange.compose.contentSection")}>
          {d.type === "info-request" ? (
            <>
              <TextAreaField
                fieldClassName="form-grid-wide"
                label={t("exchange.compose.question")}
                value={d.question}
                onChange={set("question")}
                rows={5}
                dir="auto"
                error={err("body.question")}
                testId="compose-question"
              />
              <SelectField
                label={t("exchange.body.urgency")}
                hint={t("exchange.compose.urgencyHint")}
                value={d.urgency}
                onChange={(v) => set("urgency")(URGENCIES.find((x) => x === v) ?? "routine")}
                options={URGENCIES.map((x) => ({ value: x, label: t(`urgency.${x}`) }))}
                error={err("body.urgency")}
                testId="compose-urgency"
              />
            </>
          ) : (
            <TextAreaField
              fieldClassName="form-grid-wide"
              label={t("exchange.compose.summary")}
              hint={t("exchange.compose.summaryHint")}
              value={d.summary}
              onChange={set("summary")}
              rows={3}
              dir="auto"
              error={err("body.summary")}
              testId="compose-summary"
            />
          )}
          {(isNotice || d.type === "info-request") && (
            <TextField
              label={t("exchange.compose.caseReference")}
              hint={t("exchange.compose.caseReferenceHint")}
              value={d.caseReference}
              onChange={set("caseReference")}
              autoComplete="off"
              dir="ltr"
              error={err("body.caseReference")}
              testId="compose-case-reference"
            />
          )}
          {isNotice && (
            <SelectField
              label={t("exchange.body.request")}
              value={d.request}
              onChange={(v) => set("request")(NOTICE_REQUESTS.find((x) => x === v) ?? "locate")}
              options={NOTICE_REQUESTS.map((x) => ({ value: x, label: t(`exchange.request.${x}`) }))}
              error={err("body.request")}
              testId="compose-request"
            />
          )}
          {d.type === "notice.abducted-person" && (
            <>
              <TextField
                label={t("exchange.compose.lastSeenPlace")}
                value={d.lastSeenPlace}
                onChange={set("lastSeenPlace")}
                dir="auto"
                autoComplete="off"
                error={err("body.lastSeen.place", "body.lastSeen")}
                testId="compose-last-seen-place"
              />
              <TextField
                type="datetime-local"
                label={t("exchange.compose.lastSeenAt")}
                hint={t("newCase.occurredAtHint")}
                value={d.lastSeenAt}
                onChange={set("lastSeenAt")}
                error={err("body.lastSeen.at")}
                testId="compose-last-seen-at"
              />
              <TextAreaField
                fieldClassName="form-grid-wide"
                label={t("exchange.compose.circumstances")}
                value={d.circumstances}
                onChange={set("circumstances")}
                rows={3}
                dir="auto"
                error={err("body.circumstances")}
                testId="compose-circumstances"
              />
            </>
          )}
          {d.type === "notice.modus-operandi" && (
            <>
              <SelectField
                label={t("exchange.body.typology")}
                value={d.typology}
                onChange={set("typology")}
                options={[
                  { value: "", label: t("exchange.compose.noTypology") },
                  ...OPERATIONAL_TYPES.map((x) => ({ value: x, label: t(`caseType.${x}`) })),
                ]}
                error={err("body.typology")}
                testId="compose-typology"
              />
              <TextAreaField
                fieldClassName="form-grid-wide"
                label={t("exchange.body.indicators")}
                hint={t("exchange.compose.onePerLine")}
                value={d.indicators}
                onChange={set("indicators")}
                rows={5}
                dir="auto"
                error={err("body.indicators")}
                testId="compose-indicators"
              />
            </>
          )}
        </FieldGroup>

        {isNotice && (
          <NoticePersonFields
            legend={
              d.type === "notice.abducted-person" ? t("exchange.body.victim") : t("exchange.body.wanted")
            }
            person={d.person}
            onChange={changePerson}
            err={personErr}
          />
        )}

        {d.type === "notice.ransom-watch" && <RansomFields d={d} setD={setD} err={err} />}

        <FieldGroup variant="panel" className="form-grid" legend={t("newCase.handlingSection")}>
          <SelectField
            fieldClassName="form-grid-wide"
            label={t("case.tlp")}
            hint={t("exchange.compose.tlpHint")}
            value={d.tlp}
            onChange={(v) => set("tlp")(ALL_TLP.find((x) => x === v) ?? "amber")}
            options={ALL_TLP.map((l) => ({
              value: l,
              label: `TLP:${l.toUpperCase()} — ${t(`tlp.${l === "amber+strict" ? "amber-strict" : l}`)}`,
            }))}
            error={err("tlp")}
            testId="compose-tlp"
          />
          {d.tlp === "red" && (
            <TextField
              fieldClassName="form-grid-wide"
              label={t("exchange.compose.namedRecipients")}
              hint={t("exchange.compose.namedRecipientsHint")}
              value={d.namedRecipients}
              onChange={set("namedRecipients")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err("namedRecipients")}
              testId="compose-named-recipients"
            />
          )}
          <div className="form-grid-wide">
            <CheckboxGroup
              legend={t("newCase.handlingCodes")}
              hint={t("exchange.compose.handlingHint")}
              options={ALL_HANDLING.map((h) => ({
                value: h,
                label: `${h} — ${t(`handlingCode.${h}.long`)}`,
              }))}
              selected={d.handling}
              onChange={set("handling")}
              error={err("handling")}
              testIdPrefix="compose-handling-"
            />
          </div>
          {d.handling.includes("H3") && (
            <TextAreaField
              fieldClassName="form-grid-wide"
              label={t("exchange.compose.restrictions")}
              hint={t("exchange.compose.restrictionsHint")}
              value={d.restrictions}
              onChange={set("restrictions")}
              rows={3}
              maxLength={2000}
              error={err("restrictions")}
              testId="compose-restrictions"
            />
          )}
        </FieldGroup>

        <ProblemAlert problem={problem} />
        <StatusMessage message={done} />
        {done && (
          <p>
            <Link to="/exchange/outbox" data-testid="compose-follow">
              {t("exchange.compose.follow")}
            </Link>
          </p>
        )}
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="compose-submit"
          >
            {busy ? t("exchange.compose.sending") : t("exchange.compose.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The person a notice is about: the form kit's person fields and a description. */
function NoticePersonFields({
  legend,
  person,
  onChange,
  err,
}: {
  legend: string;
  person: PersonDraft;
  onChange: (patch: Partial<PersonDraft>) => void;
  err: (field: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <FieldGroup
      variant="panel"
      className="form-grid"
      legend={legend}
      hint={t("exchange.compose.personHint")}
      hintClassName="form-grid-wide"
      testId="compose-person"
    >
      <PersonFields person={person} onChange={onChange} error={err} testIdPrefix="compose-person-" />
      <TextAreaField
        fieldClassName="form-grid-wide"
        label={t("exchange.compose.description")}
        hint={t("exchange.compose.descriptionHint")}
        value={person.description}
        onChange={(description) => onChange({ description })}
        rows={3}
        dir="auto"
        error={err("description")}
        testId="compose-person-description"
      />
    </FieldGroup>
  );
}

function RansomFields({
  d,
  setD,
  err,
}: {
  d: Draft;
  setD: (update: (prev: Draft) => Draft) => void;
  err: (...names: string[]) => string | undefined;
}) {
  const { t } = useTranslation();
  const setBanknote = (i: number, key: keyof Banknotes) => (value: string) =>
    setD((prev) => ({
      ...prev,
      banknotes: prev.banknotes.map((b, j) =>
        j === i ? { ...b, [key]: key === "currency" ? value.toUpperCase() : value } : b,
      ),
    }));
  const setWallet = (i: number, key: keyof Wallet) => (value: string) =>
    setD((prev) => ({
      ...prev,
      wallets: prev.wallets.map((w, j) => (j === i ? { ...w, [key]: value } : w)),
    }));
  return (
    <FieldGroup
      variant="panel"
      legend={t("exchange.compose.watchSection")}
      hint={t("exchange.compose.watchHint")}
      testId="compose-ransom"
    >
      <FieldGroup variant="sub" className="watch-fieldset" legend={t("exchange.body.banknotes")}>
        {err("body.banknotes") &&
          !d.banknotes.some((_, i) =>
            err(
              `body.banknotes.${i}.currency`,
              `body.banknotes.${i}.serialFrom`,
              `body.banknotes.${i}.serialTo`,
            ),
          ) && <FieldError message={err("body.banknotes") ?? ""} />}
        {d.banknotes.map((b, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and removed by position
          <div className="row-editor" key={i} data-testid="compose-banknote-row">
            <TextField
              label={t("exchange.body.currency")}
              value={b.currency}
              onChange={setBanknote(i, "currency")}
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              fieldClassName="field-narrow"
              error={err(`body.banknotes.${i}.currency`)}
              testId={`compose-banknote-currency-${i}`}
            />
            <TextField
              label={t("exchange.body.serialFrom")}
              value={b.serialFrom}
              onChange={setBanknote(i, "serialFrom")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err(`body.banknotes.${i}.serialFrom`)}
              testId={`compose-banknote-from-${i}`}
            />
            <TextField
              label={t("exchange.body.serialTo")}
              value={b.serialTo}
              onChange={setBanknote(i, "serialTo")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err(`body.banknotes.${i}.serialTo`)}
              testId={`compose-banknote-to-${i}`}
            />
            {d.banknotes.length > 1 && (
              <button
                type="button"
                className="button button-secondary button-small row-remove"
                onClick={() =>
                  setD((prev) => ({ ...prev, banknotes: prev.banknotes.filter((_, j) => j !== i) }))
                }
              >
                {t("exchange.compose.remove")}
                <span className="visually-hidden"> {t("exchange.compose.banknoteRow", { n: i + 1 })}</span>
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="compose-banknote-add"
          onClick={() =>
            setD((prev) => ({
              ...prev,
              banknotes: [...prev.banknotes, { currency: "", serialFrom: "", serialTo: "" }],
            }))
          }
        >
          {t("exchange.compose.addBanknotes")}
        </button>
      </FieldGroup>

      <div className="form-grid watch-lists">
        <TextAreaField
          label={t("exchange.body.accounts")}
          hint={t("exchange.compose.accountsHint")}
          value={d.accounts}
          onChange={(v) => setD((prev) => ({ ...prev, accounts: v }))}
          rows={4}
          dir="ltr"
          spellCheck={false}
          error={err("body.accounts")}
          testId="compose-accounts"
        />
        <TextAreaField
          label={t("exchange.body.phones")}
          hint={t("exchange.compose.phonesHint")}
          value={d.phones}
          onChange={(v) => setD((prev) => ({ ...prev, phones: v }))}
          rows={4}
          dir="ltr"
          spellCheck={false}
          error={err("body.phones")}
          testId="compose-phones"
        />
      </div>

      <FieldGroup variant="sub" className="watch-fieldset" legend={t("exchange.body.wallets")}>
        {d.wallets.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and removed by position
          <div className="row-editor row-editor-2" key={i} data-testid="compose-wallet-row">
            <TextField
              label={t("selectors.asset")}
              hint={i === 0 ? t("exchange.compose.assetHint") : undefined}
              value={w.asset}
              onChange={setWallet(i, "asset")}
              maxLength={20}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              fieldClassName="field-narrow"
              error={err(`body.wallets.${i}.asset`)}
              testId={`compose-wallet-asset-${i}`}
            />
            <TextField
              label={t("selectors.value.crypto_wallet")}
              value={w.address}
              onChange={setWallet(i, "address")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err(`body.wallets.${i}.address`)}
              testId={`compose-wallet-address-${i}`}
            />
            {d.wallets.length > 1 && (
              <button
                type="button"
                className="button button-secondary button-small row-remove"
                onClick={() => setD((prev) => ({ ...prev, wallets: prev.wallets.filter((_, j) => j !== i) }))}
              >
                {t("exchange.compose.remove")}
                <span className="visually-hidden"> {t("exchange.compose.walletRow", { n: i + 1 })}</span>
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="compose-wallet-add"
          onClick={() =>
            setD((prev) => ({ ...prev, wallets: [...prev.wallets, { asset: "", address: "" }] }))
          }
        >
          {t("exchange.compose.addWallet")}
        </button>
      </FieldGroup>
    </FieldGroup>
  );
}

/** The peers that cannot be addressed now (pending approval or suspended), with their state. */
export function UnreachablePartners({ partners }: { partners: Partner[] }) {
  const { t } = useTranslation();
  return (
    <div className="partners-unreachable" data-testid="partners-unreachable">
      <p className="field-hint">{t("exchange.compose.unreachablePartners")}</p>
      <ul className="plain-list">
        {partners.map((p) => (
          <li key={p.nodeId} data-testid={`partner-unreachable-${p.nodeId}`} data-status={p.status}>
            <bdi>{partnerLabel(p)}</bdi> <PeerStatusBadge status={p.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}
