/**
 * The web app's single API client (the typed client of src/client) and the
 * helpers that turn API errors into something a form can show: a translated
 * message plus per-field messages keyed by input name.
 */
import type { TFunction } from "i18next";
import { createApiClient, type paths } from "../../src/client/index.ts";

let csrfToken: string | undefined;

/** The CSRF token sent on every write: the login's during sign-in, the session's afterwards. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token || undefined;
}

export const api = createApiClient({ csrf: () => csrfToken });

type Listener = () => void;
const sessionLostListeners = new Set<Listener>();

/** Called when an API call outside the sign-in flow answers 401: the session has ended. */
export function onSessionLost(listener: Listener): () => void {
  sessionLostListeners.add(listener);
  return () => {
    sessionLostListeners.delete(listener);
  };
}

api.use({
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith("/api/auth/")) {
      for (const listener of sessionLostListeners) listener();
    }
    return undefined;
  },
});

// ---- Types of the API, derived from the generated schema -------------------------------------

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;

export type SessionView = Json<paths["/api/auth/session"]["get"]["responses"][200]>;
export type User = SessionView["user"];
export type Role = User["roles"][number];
export type Permission = SessionView["permissions"][number];
export type Language = User["language"];
export type AuditEntry = Json<paths["/api/audit"]["get"]["responses"][200]>["entries"][number];
export type AuditVerifyResult = Json<paths["/api/audit/verify"]["get"]["responses"][200]>;
export type ApiToken = Json<paths["/api/tokens"]["get"]["responses"][200]>["tokens"][number];
export type DemoLogin = Json<paths["/api/sandbox/logins"]["get"]["responses"][200]>["logins"][number];
export type AuditEvent = NonNullable<NonNullable<paths["/api/audit"]["get"]["parameters"]["query"]>["event"]>;
export type CaseView = Json<paths["/api/cases/{id}"]["get"]["responses"][200]>;
export type CaseStatus = CaseView["status"];
export type CaseOutcome = NonNullable<CaseView["outcome"]>;
export type CaseRole = CaseView["myRole"];
export type Tlp = CaseView["tlp"];
export type HandlingCode = CaseView["handling"][number];
export type CreateCaseBody = Json<NonNullable<paths["/api/cases"]["post"]["requestBody"]>>;
export type TeamMember = Json<paths["/api/cases/{id}/team"]["get"]["responses"][200]>["team"][number];
export type CrisisLogView = Json<paths["/api/cases/{id}/crisis-log"]["get"]["responses"][200]>;
export type CrisisLogEntry = CrisisLogView["entries"][number];
export type CrisisLogBody = Json<NonNullable<paths["/api/cases/{id}/crisis-log"]["post"]["requestBody"]>>;
export type CrisisEntryContent = CrisisLogBody["entry"];
export type PersonView = Json<paths["/api/cases/{id}/persons"]["get"]["responses"][200]>["persons"][number];
export type PersonBody = Json<NonNullable<paths["/api/cases/{id}/persons"]["post"]["requestBody"]>>;
export type CaseRecords = Json<paths["/api/cases/{id}/records"]["get"]["responses"][200]>;
export type GroupView = CaseRecords["groups"][number];
export type VehicleView = CaseRecords["vehicles"][number];
export type SelectorView = CaseRecords["selectors"][number];
export type AttachmentView = CaseRecords["attachments"][number];
export type RescueView = CaseRecords["rescues"][number];
export type ChargeView = CaseRecords["charges"][number];
export type GroupBody = Json<NonNullable<paths["/api/cases/{id}/groups"]["post"]["requestBody"]>>;
export type VehicleBody = Json<NonNullable<paths["/api/cases/{id}/vehicles"]["post"]["requestBody"]>>;
export type SelectorBody = Json<NonNullable<paths["/api/cases/{id}/selectors"]["post"]["requestBody"]>>;
export type RescueBody = Json<NonNullable<paths["/api/cases/{id}/rescues"]["post"]["requestBody"]>>;
export type ChargeBody = Json<NonNullable<paths["/api/cases/{id}/charges"]["post"]["requestBody"]>>;
export type Colleague = Json<paths["/api/colleagues"]["get"]["responses"][200]>["colleagues"][number];
export type CaseFilters = NonNullable<paths["/api/cases"]["get"]["parameters"]["query"]>;
export type SearchHit = Json<paths["/api/cases/search"]["get"]["responses"][200]>["hits"][number];
export type CaseStatistics = Json<paths["/api/cases/statistics"]["get"]["responses"][200]>;
export type NodeDescriptor = Json<paths["/api/federation/descriptor"]["get"]["responses"][200]>;
export type Peer = Json<paths["/api/federation/peers"]["get"]["responses"][200]>["peers"][number];
export type PeerStatus = Peer["status"];
export type OutboxMessage = Json<
  paths["/api/federation/outbox"]["get"]["responses"][200]
>["messages"][number];
export type MessageStatus = OutboxMessage["status"];
export type InboxMessage = Json<paths["/api/federation/inbox"]["get"]["responses"][200]>["messages"][number];
export type SendMessageBody = Json<NonNullable<paths["/api/federation/messages"]["post"]["requestBody"]>>;
export type InboxMessageDetail = Json<paths["/api/federation/inbox/{id}"]["get"]["responses"][200]>;
export type MessageLink = InboxMessageDetail["links"][number];
export type CaseMessages = Json<paths["/api/cases/{id}/messages"]["get"]["responses"][200]>;
export type Partner = Json<paths["/api/federation/partners"]["get"]["responses"][200]>["partners"][number];
export type HitItem = Json<paths["/api/cases/{id}/hit-items"]["get"]["responses"][200]>["items"][number];
export type HitItemType = HitItem["type"];
export type HitQuery = Json<paths["/api/cases/{id}/hit-queries"]["get"]["responses"][200]>["queries"][number];
export type HitAnswer = HitQuery["answers"][number];
export type HitQueryBody = Json<NonNullable<paths["/api/cases/{id}/hit-queries"]["post"]["requestBody"]>>;
export type Followup = Json<paths["/api/hits/followups"]["get"]["responses"][200]>["followups"][number];
export type FollowupDecisionBody = Json<
  NonNullable<paths["/api/hits/followups/{id}/decision"]["post"]["requestBody"]>
>;

export type ReturnView = Json<paths["/api/statistics/returns/{id}"]["get"]["responses"][200]>;
export type ReturnStatus = ReturnView["status"];
export type StatTable = ReturnView["tables"][number];
export type ValidationIssue = ReturnView["issues"][number];
export type Questionnaire = NonNullable<ReturnView["questionnaire"]>;
export type SubmitReturnBody = Json<
  NonNullable<paths["/api/statistics/returns/{id}/submit"]["post"]["requestBody"]>
>;
export type ReceivedReturn = Json<
  paths["/api/statistics/received"]["get"]["responses"][200]
>["returns"][number];
export type GlobalReport = Json<paths["/api/statistics/report"]["get"]["responses"][200]>;

// ---- Errors ----------------------------------------------------------------------------------

export interface ApiProblem {
  /** The API's error code, or `network` when the node could not be reached. */
  code: string;
  /** The server's own (English) message, used when no translation exists. */
  message: string;
  /**
   * Field errors keyed by field name (`body.username` → `username`). A nested path is kept
   * under each of its prefixes (`body.place.country` → `place` and `place.country`), so a
   * form can show it next to the whole group or next to the one input; the first message wins.
   */
  fields: Record<string, string>;
  /** Field errors whose path names no field of a form (kept whole, e.g. `headers.x-csrf-token`). */
  otherFields: { path: string; message: string }[];
  status: number;
  requestId?: string;
  retryAfterSeconds?: number;
}

interface ErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    fields?: unknown;
    requestId?: unknown;
    retryAfterSeconds?: unknown;
  };
}

export function toProblem(error: unknown, response: Response | undefined): ApiProblem {
  const body = (error && typeof error === "object" ? error : {}) as ErrorBody;
  const e = body.error ?? {};
  const problem: ApiProblem = {
    code: typeof e.code === "string" ? e.code : response ? `http_${response.status}` : "network",
    message: typeof e.message === "string" ? e.message : "",
    fields: {},
    otherFields: [],
    status: response?.status ?? 0,
  };
  if (typeof e.requestId === "string") problem.requestId = e.requestId;
  if (typeof e.retryAfterSeconds === "number") problem.retryAfterSeconds = e.retryAfterSeconds;
  if (Array.isArray(e.fields)) {
    for (const f of e.fields as { path?: unknown; message?: unknown }[]) {
      if (typeof f?.path !== "string" || typeof f.message !== "string") continue;
      const m = /^body\.(.+)$/.exec(f.path);
      const rest = m?.[1];
      if (!rest) {
        problem.otherFields.push({ path: f.path, message: f.message });
        continue;
      }
      const segments = rest.split(".");
      for (let i = 1; i <= segments.length; i++) {
        const name = segments.slice(0, i).join(".");
        if (problem.fields[name] === undefined) problem.fields[name] = f.message;
      }
    }
  }
  return problem;
}

export const NETWORK_PROBLEM: ApiProblem = {
  code: "network",
  message: "",
  fields: {},
  otherFields: [],
  status: 0,
};

export type Result<T> = { ok: true; data: T } | { ok: false; problem: ApiProblem };

/** Await an API call and fold its three outcomes (data, error body, network failure) into one. */
export async function run<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Result<T>> {
  try {
    const { data, error, response } = await call;
    if (error !== undefined || !response.ok) return { ok: false, problem: toProblem(error, response) };
    return { ok: true, data: data as T };
  } catch {
    return { ok: false, problem: NETWORK_PROBLEM };
  }
}

/**
 * Send a file as the raw body of a write (attachments): the typed client speaks JSON only,
 * so this uses fetch with the same CSRF header and the same error folding.
 */
export async function uploadFile<T>(url: string, file: Blob): Promise<Result<T>> {
  const headers: Record<string, string> = {
    "content-type": file.type || "application/octet-stream",
  };
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body: file, headers, credentials: "same-origin" });
  } catch {
    return { ok: false, problem: NETWORK_PROBLEM };
  }
  if (response.status === 401) for (const listener of sessionLostListeners) listener();
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) return { ok: false, problem: toProblem(body, response) };
  return { ok: true, data: body as T };
}

/**
 * Problems restricted to the fields a form has: field errors for other fields are
 * moved to `otherFields` so the general message can name them. A nested error is shown
 * once: by the form's field for it or for one of its parents (`roles` shows `roles.0`);
 * otherwise, by its full path in the general message.
 */
export function forFields(problem: ApiProblem, known: readonly string[]): ApiProblem {
  const fields: Record<string, string> = {};
  const otherFields = [...problem.otherFields];
  const names = Object.keys(problem.fields);
  const coveredByParent = (name: string) => {
    const segments = name.split(".");
    for (let i = 1; i < segments.length; i++) if (known.includes(segments.slice(0, i).join("."))) return true;
    return false;
  };
  for (const [name, message] of Object.entries(problem.fields)) {
    if (known.includes(name)) fields[name] = message;
    else if (coveredByParent(name)) continue;
    // A prefix of a longer path stands for it: the longest path carries the error.
    else if (names.some((n) => n.startsWith(`${name}.`))) continue;
    else otherFields.push({ path: `body.${name}`, message });
  }
  return { ...problem, fields, otherFields };
}

const KNOWN_CODES = new Set([
  "validation_failed",
  "malformed_json",
  "invalid_encoding",
  "unauthenticated",
  "invalid_credentials",
  "mfa_required",
  "invalid_code",
  "csrf_failed",
  "client_certificate_required",
  "not_found",
  "conflict",
  "invalid_state",
  "payload_too_large",
  "unsupported_media_type",
  "account_locked",
  "rate_limited",
  "internal",
  "unavailable",
  "network",
]);

/** The translated, user-facing sentence for a problem. */
export function problemMessage(t: TFunction, problem: ApiProblem, language: string): string {
  if (problem.code === "account_locked") {
    if (problem.retryAfterSeconds !== undefined) {
      const until = new Date(Date.now() + problem.retryAfterSeconds * 1000);
      const time = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit" }).format(until);
      return t("errors.account_locked_until", { time });
    }
    return t("errors.account_locked");
  }
  if (problem.code === "internal") {
    return t("errors.internal", { requestId: problem.requestId ?? "—" });
  }
  if (KNOWN_CODES.has(problem.code)) return t(`errors.${problem.code}`);
  if (problem.status >= 500) return t("errors.unavailable");
  return problem.message || t("errors.unknown");
}

const FIELD_MESSAGES: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^is already taken$/, "fieldErrors.taken", () => ({})],
  [/^must be at least (\d+) characters$/, "fieldErrors.minLength", (m) => ({ n: m[1] ?? "" })],
  [/^must be at most (\d+) characters$/, "fieldErrors.maxLength", (m) => ({ n: m[1] ?? "" })],
  [/^must not be empty$/, "fieldErrors.required", () => ({})],
  [/^must be six digits$/, "fieldErrors.sixDigits", () => ({})],
  [/^may contain only lower-case letters/, "fieldErrors.usernameChars", () => ({})],
  [/^must name at least one role$/, "fieldErrors.atLeastOneRole", () => ({})],
  [/^must name at least one scope$/, "fieldErrors.atLeastOneScope", () => ({})],
  [/^is not the current code$/, "fieldErrors.notCurrentCode", () => ({})],
  [/^was already used/, "fieldErrors.codeUsed", () => ({})],
  [/^you cannot disable your own account$/, "fieldErrors.cannotDisableSelf", () => ({})],
  [/^you cannot change your own roles$/, "fieldErrors.cannotChangeOwnRoles", () => ({})],
  [/^must not contain bidirectional control characters/, "fieldErrors.bidiControls", () => ({})],
  [
    /^(\w+) and (\w+) may not be held by one account/,
    "fieldErrors.separationOfDuties",
    (m) => ({ a: m[1] ?? "", b: m[2] ?? "" }),
  ],
  [/^you do not hold /, "fieldErrors.scopeNotHeld", () => ({})],
  [/^must be a whole number$/, "fieldErrors.wholeNumber", () => ({})],
  [/^Too small: expected \w+ to be >=?(\d+)/, "fieldErrors.atLeast", (m) => ({ n: m[1] ?? "" })],
  [
    /^Too small: expected array to have >=?(\d+) items?$/,
    "fieldErrors.atLeastItems",
    (m) => ({ n: m[1] ?? "" }),
  ],
  [/^Too big: expected \w+ to be <=?(\d+)/, "fieldErrors.atMost", (m) => ({ n: m[1] ?? "" })],
  [/^must be an ISO 3166-1 alpha-3 code or UNODC$/, "fieldErrors.nodeId", () => ({})],
  [/^is not an ISO 3166-1 country code$/, "fieldErrors.countryCode", () => ({})],
  [/^must be an ISO 3166-1 alpha-3 code/, "fieldErrors.countryCode", () => ({})],
  [/^must be an ISO 4217 code/, "fieldErrors.currencyCode", () => ({})],
  [/^must be an ISO 8601 date-time/, "fieldErrors.dateTime", () => ({})],
  [
    /^must be between (-?[\d.]+) and (-?[\d.]+)$/,
    "fieldErrors.between",
    (m) => ({
      min: m[1] ?? "",
      max: m[2] ?? "",
    }),
  ],
  [/^must not be in the future$/, "fieldErrors.notFuture", () => ({})],
  [/^must not be after reportedAt$/, "fieldErrors.afterReported", () => ({})],
  [/^must not be negative$/, "fieldErrors.notNegative", () => ({})],
  [/^must be a UUID$/, "fieldErrors.accountId", () => ({})],
  [/^is not an active account$/, "fieldErrors.notActiveAccount", () => ({})],
  [/^holds no role that works on cases$/, "fieldErrors.noCaseWork", () => ({})],
  [/^only the case lead changes the team$/, "fieldErrors.leadOnly", () => ({})],
  [/^the lead cannot /, "fieldErrors.leadSelf", () => ({})],
  [/^only the lead or the crisis team changes a case's status$/, "fieldErrors.crisisTeamOnly", () => ({})],
  [/^is required to resolve a case/, "fieldErrors.outcomeRequired", () => ({})],
  [/^is given only when a case is resolved$/, "fieldErrors.outcomeOnlyResolved", () => ({})],
  [/^is required to move a case from/, "fieldErrors.reasonRequired", () => ({})],
  [/^a case that is \w+ cannot become/, "fieldErrors.notAllowedNext", () => ({})],
  [/^is not an entry of this case's crisis log$/, "fieldErrors.notAnEntry", () => ({})],
  [/^needs a given or a family name$/, "fieldErrors.nameNeeded", () => ({})],
  [/^must hold at least one name$/, "fieldErrors.nameNeeded", () => ({})],
  [/^give a date of birth or an age range, not both$/, "fieldErrors.dobOrAge", () => ({})],
  [/^min must not exceed max$/, "fieldErrors.ageMinMax", () => ({})],
  [/^must be a date, YYYY-MM-DD$/, "fieldErrors.date", () => ({})],
  [/^must be an ISO 3166-1 alpha-2 code$/, "fieldErrors.regionCode", () => ({})],
  [/^is not a phone number in international form/, "fieldErrors.phoneInternational", () => ({})],
  [/^is not a phone number of region (\w+)$/, "fieldErrors.phoneRegion", (m) => ({ region: m[1] ?? "" })],
  [/^is not a valid number for (.+)$/, "fieldErrors.phoneInvalid", (m) => ({ country: m[1] ?? "" })],
  [/^does not start with a known IBAN country code$/, "fieldErrors.ibanCountry", () => ({})],
  [/^has the wrong length for its country$/, "fieldErrors.ibanLength", () => ({})],
  [/^does not have its country's account format$/, "fieldErrors.ibanFormat", () => ({})],
  [
    /^has (check digits that are not digits|wrong check digits|a wrong national check digit)/,
    "fieldErrors.ibanChecksum",
    () => ({}),
  ],
  [/^is not a valid IBAN$/, "fieldErrors.ibanInvalid", () => ({})],
  [/^is not a Bitcoin address/, "fieldErrors.walletBitcoin", () => ({})],
  [/^is a Bitcoin test-network address$/, "fieldErrors.walletTestnet", () => ({})],
  [/^is not an Ethereum address/, "fieldErrors.walletEthereum", () => ({})],
  [/^has a wrong EIP-55 checksum/, "fieldErrors.walletChecksum", () => ({})],
  [/^must be 16 to 120 letters, digits/, "fieldErrors.walletChars", () => ({})],
  [
    /^is already recorded on this case as (.+)$/,
    "fieldErrors.alreadyRecorded",
    (m) => ({ value: m[1] ?? "" }),
  ],
  [/^is not a person of this case$/, "fieldErrors.notAPerson", () => ({})],
  [/^describe the vehicle/, "fieldErrors.describeVehicle", () => ({})],
  [/^a plate country needs a plate$/, "fieldErrors.plateCountryNeedsPlate", () => ({})],
  [/^holds no letters or digits$/, "fieldErrors.plateChars", () => ({})],
  [/^must not be before startedAt$/, "fieldErrors.endBeforeStart", () => ({})],
  [/^a rescue that freed the victims frees at least one$/, "fieldErrors.freedAtLeastOne", () => ({})],
  [/^must not be before the incident occurred$/, "fieldErrors.beforeIncident", () => ({})],
  [
    /^only the lead or the crisis team records a rescue operation$/,
    "fieldErrors.rescueCrisisTeamOnly",
    () => ({}),
  ],
  [/^a verdict needs the stage/, "fieldErrors.verdictNeedsStage", () => ({})],
  [/^is required once the charge has reached judgment$/, "fieldErrors.verdictRequired", () => ({})],
  [/^only a conviction carries a sentence$/, "fieldErrors.sentenceOnlyConviction", () => ({})],
  [/^needs a verdict$/, "fieldErrors.needsVerdict", () => ({})],
  [/^an appeal follows a verdict$/, "fieldErrors.appealNeedsVerdict", () => ({})],
  [/^give a life sentence or a number of months, not both$/, "fieldErrors.lifeOrMonths", () => ({})],
  [/^must be a whole number of months$/, "fieldErrors.wholeNumber", () => ({})],
  [/^is implausibly large$/, "fieldErrors.implausible", () => ({})],
  [/^must be at most (\d+) bytes$/, "fieldErrors.fileTooLarge", (m) => ({ size: formatBytes(Number(m[1])) })],
  [/^is too large$/, "fieldErrors.tooLarge", () => ({})],
  [/^is empty: the file has no content$/, "fieldErrors.fileEmpty", () => ({})],
  [/^must be a file name without a path/, "fieldErrors.filename", () => ({})],
  [/^must not be after to$/, "fieldErrors.fromAfterTo", () => ({})],
  [/^is not a signed descriptor/, "fieldErrors.notDescriptor", () => ({})],
  [/^is too long for a descriptor$/, "fieldErrors.notDescriptor", () => ({})],
  [/^signature does not verify/, "fieldErrors.descriptorSignature", () => ({})],
  [/^is this node's own descriptor$/, "fieldErrors.ownDescriptor", () => ({})],
  [/^is older than the descriptor already imported$/, "fieldErrors.olderDescriptor", () => ({})],
  [/^does not match the peer's signing key/, "fieldErrors.fingerprintMismatch", () => ({})],
  [/^is already an active peer$/, "fieldErrors.alreadyActive", () => ({})],
  [/^is already suspended$/, "fieldErrors.alreadySuspended", () => ({})],
  [/^there is no active peer to send to$/, "fieldErrors.noActivePeer", () => ({})],
  [/^([A-Z]{3}|UNODC) is not an active peer$/, "fieldErrors.notActivePeer", (m) => ({ node: m[1] ?? "" })],
  [/^is not a thread this node has sent or received$/, "fieldErrors.notAThread", () => ({})],
  [/^is \w+: only a dead or rejected message is sent again$/, "fieldErrors.notRetriable", () => ({})],
  [/^must be a message id$/, "fieldErrors.messageId", () => ({})],
  [/^TLP:RED needs the people it is for/, "fieldErrors.redNeedsNames", () => ({})],
  [/^only a TLP:RED message names its recipients$/, "fieldErrors.namesOnlyRed", () => ({})],
  [/^([A-Z]{3}|UNODC) sent it$/, "fieldErrors.sentIt", (m) => ({ node: m[1] ?? "" })],
  [/^may not be passed on: /, "fieldErrors.mayNotPassOn", () => ({})],
  [/^is already linked to this message$/, "fieldErrors.alreadyLinked", () => ({})],
  [/^must be a case id$/, "fieldErrors.caseId", () => ({})],
  [/^is empty$/, "fieldErrors.required", () => ({})],
  [/^Invalid (input|option)/, "fieldErrors.invalid", () => ({})],
  [/^is not a known field$/, "fieldErrors.invalid", () => ({})],
];

/** A size in bytes for people: "512 B", "40 KB", "25 MB" (binary multiples, as the node counts them). */
export function formatBytes(bytes: number, language?: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const n = new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
  return `${n} ${units[unit]}`;
}

/** A server field message in the user's language when it is a known one; otherwise as sent. */
export function fieldMessage(t: TFunction, message: string): string {
  for (const [pattern, key, params] of FIELD_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return t(key, params(m));
  }
  return message;
}
export type WorldMap = Json<paths["/api/statistics/map"]["get"]["responses"][200]>;
