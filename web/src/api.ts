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

// ---- Errors ----------------------------------------------------------------------------------

export interface ApiProblem {
  /** The API's error code, or `network` when the node could not be reached. */
  code: string;
  /** The server's own (English) message, used when no translation exists. */
  message: string;
  /** Field errors keyed by field name (`body.username` → `username`). */
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
      const m = /^body\.([^.]+)/.exec(f.path);
      const name = m?.[1];
      if (name && problem.fields[name] === undefined) problem.fields[name] = f.message;
      else if (!name) problem.otherFields.push({ path: f.path, message: f.message });
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
 * Problems restricted to the fields a form has: field errors for other fields are
 * moved to `otherFields` so the general message can name them.
 */
export function forFields(problem: ApiProblem, known: readonly string[]): ApiProblem {
  const fields: Record<string, string> = {};
  const otherFields = [...problem.otherFields];
  for (const [name, message] of Object.entries(problem.fields)) {
    if (known.includes(name)) fields[name] = message;
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
  [/^you cannot remove your own admin role$/, "fieldErrors.cannotRemoveOwnAdmin", () => ({})],
  [/^you do not hold /, "fieldErrors.scopeNotHeld", () => ({})],
  [/^must be a whole number$/, "fieldErrors.wholeNumber", () => ({})],
  [/^Too small: expected \w+ to be >=?(\d+)/, "fieldErrors.atLeast", (m) => ({ n: m[1] ?? "" })],
  [/^Too big: expected \w+ to be <=?(\d+)/, "fieldErrors.atMost", (m) => ({ n: m[1] ?? "" })],
  [/^Invalid input/, "fieldErrors.invalid", () => ({})],
  [/^is not a known field$/, "fieldErrors.invalid", () => ({})],
];

/** A server field message in the user's language when it is a known one; otherwise as sent. */
export function fieldMessage(t: TFunction, message: string): string {
  for (const [pattern, key, params] of FIELD_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return t(key, params(m));
  }
  return message;
}
