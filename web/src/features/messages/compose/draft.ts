/**
 * A message being composed, as typed: its type, recipients and marking, and the
 * fields of every type's body (only the chosen type's are sent); the request it
 * becomes, checked for what the node cannot check itself (a whole number, a
 * date-time), and the names of its fields as the node names them in its errors.
 */
import type { HandlingCode, SendMessageBody, Tlp } from "../../../api.ts";
import {
  ageRangeOf,
  codeList,
  EMPTY_PERSON,
  lines,
  opt,
  type PersonDraft as PersonSketch,
} from "../../../components/form/index.ts";
import type { ComposeType, NOTICE_REQUESTS, URGENCIES } from "../../../constants.ts";
import { fromLocalInput } from "../../../format.ts";

export type NoticeRequest = (typeof NOTICE_REQUESTS)[number];
export type Urgency = (typeof URGENCIES)[number];

/** The person of a notice, with a description of them (a notice's sketch). */
export interface PersonDraft extends PersonSketch {
  description: string;
}

export interface Banknotes {
  currency: string;
  serialFrom: string;
  serialTo: string;
}

export interface Wallet {
  asset: string;
  address: string;
}

export interface Draft {
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

/** Sets one field of the draft. */
export type DraftSetter = <K extends keyof Draft>(key: K) => (value: Draft[K]) => void;
/** The node's error for the first of the named fields that has one. */
export type DraftErrors = (...names: string[]) => string | undefined;

const EMPTY_NOTICE_PERSON: PersonDraft = { ...EMPTY_PERSON, description: "" };

export const EMPTY: Draft = {
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

export function isNotice(type: ComposeType): type is "notice.abducted-person" | "notice.wanted-person" {
  return type === "notice.abducted-person" || type === "notice.wanted-person";
}

/** Where a notice's person is in its body: the victim of an abduction, or the person wanted. */
export function personKey(type: ComposeType): "victim" | "person" {
  return type === "notice.abducted-person" ? "victim" : "person";
}

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
export function knownFields(d: Draft): string[] {
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

/** The body of a message of a type, as the node's schema has it. */
export type BodyOf<T extends ComposeType> = Extract<SendMessageBody, { type: T }>["body"];

/** A type and its body, for the types a user composes. */
export type Content = { [T in ComposeType]: { type: T; body: BodyOf<T> } }[ComposeType];

type Sketch = BodyOf<"notice.abducted-person">["victim"];

type Built<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

function buildSketch(p: PersonDraft, prefix: "victim" | "person"): Built<Sketch> {
  const ageRange = ageRangeOf(p);
  if (ageRange === "invalid") {
    return { ok: false, fields: { [`body.${prefix}.ageRange`]: "must be a whole number" } };
  }
  // A name with neither part is left out: the node then says that a name is needed.
  const names: Sketch["names"] = [];
  const first: Sketch["names"][number] = {};
  if (opt(p.given)) first.given = p.given.trim();
  if (opt(p.family)) first.family = p.family.trim();
  if (first.given || first.family) names.push(first);
  if (opt(p.otherGiven) || opt(p.otherFamily)) {
    const other: Sketch["names"][number] = { script: p.otherScript };
    if (opt(p.otherGiven)) other.given = p.otherGiven.trim();
    if (opt(p.otherFamily)) other.family = p.otherFamily.trim();
    names.push(other);
  }
  const sketch: Sketch = {
    names,
    sex: p.sex,
    nationalities: codeList(p.nationalities),
  };
  if (p.dateOfBirth) sketch.dateOfBirth = p.dateOfBirth;
  if (ageRange) sketch.ageRange = ageRange;
  if (opt(p.description)) sketch.description = p.description.trim();
  return { ok: true, value: sketch };
}

/** Where and when the victim was last seen, when either is given. */
function buildLastSeen(d: Draft): Built<BodyOf<"notice.abducted-person">["lastSeen"]> {
  if (!opt(d.lastSeenPlace) && !d.lastSeenAt) return { ok: true, value: undefined };
  const lastSeen: NonNullable<BodyOf<"notice.abducted-person">["lastSeen"]> = {
    place: d.lastSeenPlace.trim(),
  };
  const at = fromLocalInput(d.lastSeenAt);
  if (d.lastSeenAt && !at)
    return { ok: false, fields: { "body.lastSeen.at": "must be an ISO 8601 date-time" } };
  if (at) lastSeen.at = at;
  return { ok: true, value: lastSeen };
}

/** The chosen type's body, from the draft (empty optional fields left out). */
export function buildContent(d: Draft): Built<Content> {
  const caseReference = opt(d.caseReference);
  switch (d.type) {
    case "notice.abducted-person": {
      const victim = buildSketch(d.person, "victim");
      if (!victim.ok) return victim;
      const body: BodyOf<"notice.abducted-person"> = {
        summary: d.summary.trim(),
        victim: victim.value,
        request: d.request,
      };
      if (caseReference) body.caseReference = caseReference;
      if (opt(d.circumstances)) body.circumstances = d.circumstances.trim();
      const lastSeen = buildLastSeen(d);
      if (!lastSeen.ok) return lastSeen;
      if (lastSeen.value) body.lastSeen = lastSeen.value;
      return { ok: true, value: { type: d.type, body } };
    }
    case "notice.wanted-person": {
      const person = buildSketch(d.person, "person");
      if (!person.ok) return person;
      const body: BodyOf<"notice.wanted-person"> = {
        summary: d.summary.trim(),
        person: person.value,
        request: d.request,
      };
      if (caseReference) body.caseReference = caseReference;
      return { ok: true, value: { type: d.type, body } };
    }
    case "notice.modus-operandi": {
      const body: BodyOf<"notice.modus-operandi"> = {
        summary: d.summary.trim(),
        indicators: lines(d.indicators),
      };
      if (opt(d.typology)) body.typology = d.typology;
      return { ok: true, value: { type: d.type, body } };
    }
    case "notice.ransom-watch":
      return {
        ok: true,
        value: {
          type: d.type,
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
        },
      };
    case "info-request": {
      const body: BodyOf<"info-request"> = { question: d.question.trim(), urgency: d.urgency };
      if (caseReference) body.caseReference = caseReference;
      return { ok: true, value: { type: d.type, body } };
    }
  }
}

/** The request the draft becomes, sent to `to`; or the fields refused before sending. */
export function buildMessage(d: Draft, to: string[] | "all"): Built<SendMessageBody> {
  const content = buildContent(d);
  if (!content.ok) return content;
  const message: SendMessageBody = { ...content.value, to, version: 1, tlp: d.tlp, handling: d.handling };
  if (d.caseId) message.caseId = d.caseId;
  const names = userNames(d.namedRecipients);
  // Left out when empty: the node then says that TLP:RED needs them.
  if (d.tlp === "red" && names.length > 0) message.namedRecipients = names;
  // Likewise: the node says that H3 needs its restrictions in words.
  if (d.handling.includes("H3") && d.restrictions.trim()) message.restrictions = d.restrictions.trim();
  return { ok: true, value: message };
}
