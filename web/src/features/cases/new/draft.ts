/**
 * A case being opened, as typed: when and where it happened, the elements of the
 * common definition (from which its class is previewed), its marking; empty, or
 * proposed by a received abducted-person notice.
 */
import type { TFunction } from "i18next";
import { type Classification, classify, parseIncident } from "../../../../../src/domain/definition.ts";
import type { CreateCaseBody, HandlingCode, InboxMessageDetail, Tlp } from "../../../api.ts";
import { isTlp } from "../../../components/Federation.tsx";
import { ALL_HANDLING } from "../../../constants.ts";

type Elements = CreateCaseBody["elements"];
export type Purpose = Elements["purpose"];
export type Context = NonNullable<Elements["context"]>;
export type BooleanElement = "victimDetained" | "victimMoved" | "againstWill" | "takenByParentOrGuardian";

export interface Draft {
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

export const FIELDS = [
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

/** The victim's age typed in any of the interface's digit sets (Arabic-Indic included), or null. */
export function typedAge(text: string): number | null | "invalid" {
  const ascii = text
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  if (ascii === "") return null;
  return /^\d{1,3}$/.test(ascii) ? Number(ascii) : "invalid";
}

export function elementsOf(d: Draft): Elements {
  const age = typedAge(d.age);
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

export type Preview =
  | { ok: true; classification: Classification }
  | { ok: false; errors: { path: string; message: string }[] };

export function preview(elements: Elements): Preview {
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

export function emptyDraft(nodeId: string): Draft {
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
export function draftFromMessage(m: InboxMessageDetail, t: TFunction): Draft {
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

/** The country is the officer's to say; the hint gives what the notice tells of the place. */
export function countryHintFromMessage(t: TFunction, m: InboxMessageDetail): string {
  const place = str(obj(obj(m.body).lastSeen).place);
  const said = place
    ? t("newCase.fromMessage.countryHintPlace", { sender: m.sender, place })
    : t("newCase.fromMessage.countryHintSender", { sender: m.sender });
  return `${said} ${t("newCase.countryHint")}`;
}
