/**
 * Factories for test data: request bodies built fresh on every call (synthetic names only), and the
 * set-ups the integration tests repeat: an open case, a person on it, a colleague on its team, a
 * signed-in user, envelopes sealed by hand, and nodes peered both ways.
 *
 * A body factory takes overrides, merged over its defaults in order: nested plain objects merge key
 * by key, arrays and other values replace, and `undefined` leaves the key out.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { CaseRole } from "../../src/domain/case-roles.ts";
import type { CaseView, createCaseSchema, PersonView, personInputSchema } from "../../src/domain/cases.ts";
import type { Role } from "../../src/domain/roles.ts";
import { seal } from "../../src/engines/federation/envelope.ts";
import { type NodeKeyPair, type NodeKeys, pairwiseKey } from "../../src/engines/federation/keys.ts";
import type { ConfigInput } from "../../src/platform/config.ts";
import { nodeKeys } from "../../src/platform/exchange/peers.ts";
import { createTestNode, makeUser, type Session, signIn, type TestNode, type TestUser } from "./node.ts";
import { freePort, type ListeningNode, peerBothWays, Relay, startListeningNodes } from "./peers.ts";

/** Any part of a body, nested; `undefined` to leave a key out. */
export type Overrides<T> = {
  [K in keyof T]?:
    | (T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Overrides<T[K]> : T[K])
    | undefined;
};
type Loose = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Loose =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** `base` with `over` merged in (a new object; `base` is left alone). */
export function merge<T extends object>(base: T, over: object = {}): T {
  const out: Loose = { ...(base as Loose) };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = merge(out[key], value);
    else out[key] = value;
  }
  return out as T;
}

const build = <T extends object>(defaults: T, overrides: object[]): T => overrides.reduce<T>(merge, defaults);

const created = async <T>(what: string, res: Promise<{ statusCode: number; body: string }>, status = 201) => {
  const r = await res;
  if (r.statusCode !== status) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  return JSON.parse(r.body) as T;
};

// ---- Users -------------------------------------------------------------------------------------------

/** A session that knows its user. */
export type SignedIn = Session & { user: TestUser };

/** A new user with these roles (enrolled in a second factor), signed in. */
export async function signedIn(
  node: TestNode,
  roles: Role[],
  opts: Parameters<typeof makeUser>[2] = {},
): Promise<SignedIn> {
  const user = await makeUser(node, roles, opts);
  return { ...(await signIn(node, user)), user };
}

// ---- Cases -------------------------------------------------------------------------------------------

export type CaseBody = z.input<typeof createCaseSchema>;

/** A valid body for POST /api/cases: a person held for ransom in Colombia, reported now. */
export const caseBody = (...overrides: Overrides<CaseBody>[]): CaseBody =>
  build<CaseBody>(
    {
      title: "Synthetic case: a person held for ransom",
      place: { country: "COL" },
      elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" },
    },
    overrides,
  );

/** Open a case as `session` (who becomes its lead); throws with the answer unless it is created. */
export const openCase = (session: Session, ...overrides: Overrides<CaseBody>[]): Promise<CaseView> =>
  created("opening a case", session.inject("POST", "/api/cases", caseBody(...overrides)));

export type PersonBody = z.input<typeof personInputSchema>;

/** A valid body for POST /api/cases/:id/persons: a suspect with one name. */
export const personBody = (...overrides: Overrides<PersonBody>[]): PersonBody =>
  build<PersonBody>({ role: "suspect", names: [{ given: "Teodoro", family: "Valdivia Ruiz" }] }, overrides);

/** Record a person on a case; throws with the answer unless it is created. */
export const addPerson = (
  session: Session,
  caseId: string,
  ...overrides: Overrides<PersonBody>[]
): Promise<PersonView> =>
  created(
    "adding a person",
    session.inject("POST", `/api/cases/${caseId}/persons`, personBody(...overrides)),
  );

/** Write an entry in a case's crisis log (a note unless given); throws with the answer unless it is written. */
export const addLogEntry = (
  session: Session,
  caseId: string,
  entry: Loose = { kind: "note", summary: "Synthetic note" },
): Promise<{ id: number; seq: number }> =>
  created("writing in the crisis log", session.inject("POST", `/api/cases/${caseId}/crisis-log`, { entry }));

/** A new colleague with these roles, put on the case's team by its lead, signed in. */
export async function teamMember(
  node: TestNode,
  lead: Session,
  caseId: string,
  { roles, caseRole }: { roles: Role[]; caseRole: CaseRole },
): Promise<SignedIn> {
  const user = await makeUser(node, roles);
  await created(
    `putting ${user.username} on the team`,
    lead.inject("PUT", `/api/cases/${caseId}/team/${user.id}`, { caseRole }),
    200,
  );
  return { ...(await signIn(node, user)), user };
}

// ---- Federation messages -----------------------------------------------------------------------------

/** A body for POST /api/federation/messages: a notice of an abducted person to MEX, TLP:AMBER, H0. */
export const noticeBody = (...overrides: Loose[]): Loose =>
  build<Loose>(
    {
      to: ["MEX"],
      type: "notice.abducted-person",
      tlp: "amber",
      handling: ["H0"],
      body: {
        summary: "Synthetic notice: a person abducted",
        victim: { names: [{ given: "Lucía", family: "Ejemplo" }], nationalities: ["COL"] },
        request: "locate",
      },
    },
    overrides,
  );

/** A body for POST /api/federation/messages: a modus-operandi bulletin to MEX, TLP:GREEN, H0. */
export const modusOperandiBody = (...overrides: Loose[]): Loose =>
  build<Loose>(
    {
      to: ["MEX"],
      type: "notice.modus-operandi",
      tlp: "green",
      handling: ["H0"],
      body: { summary: "Synthetic modus operandi" },
    },
    overrides,
  );

/**
 * Envelopes from one node to another made by hand, as the sender's exchange would seal them (under
 * its current keys, or the `keys` given): `seal(header, { body, signing })` answers one, with a new
 * id (its own thread) and valid for ten minutes from `t` unless the header overrides say otherwise.
 */
export async function envelopeSealer(from: TestNode, to: TestNode, opts: { keys?: NodeKeys } = {}) {
  const keys = opts.keys ?? (await nodeKeys(from.ctx));
  const theirs = await nodeKeys(to.ctx);
  const pairwise = pairwiseKey(
    { nodeId: from.config.nodeId, encryption: keys.encryption },
    {
      nodeId: to.config.nodeId,
      encryptionKey: theirs.encryption.publicKey,
      encryptionKid: theirs.encryption.kid,
    },
  );
  const t = Math.floor(Date.now() / 1000);
  const sealOne = (
    header: Loose = {},
    {
      body = { summary: "synthetic modus operandi" },
      signing = keys.signing,
    }: { body?: unknown; signing?: NodeKeyPair } = {},
  ) => {
    const id = randomUUID();
    return seal({
      header: {
        iss: from.config.nodeId,
        aud: to.config.nodeId,
        jti: id,
        mt: "notice.modus-operandi",
        mv: 1,
        iat: t,
        exp: t + 600,
        thr: id,
        tlp: "green",
        hc: ["H0"],
        ...header,
      } as Parameters<typeof seal>[0]["header"],
      body,
      signingKey: signing.privateKey,
      signingKid: signing.kid,
      pairwise,
    });
  };
  return { keys, t, seal: sealOne };
}

// ---- Peers -------------------------------------------------------------------------------------------

/** Two nodes listening on loopback, each administrator having approved the other's descriptor. */
export async function peerPair(
  ids: readonly [string, string],
  overrides: ConfigInput = {},
): Promise<[ListeningNode, ListeningNode]> {
  const [a, b] = (await startListeningNodes(ids, overrides)) as [ListeningNode, ListeningNode];
  await peerBothWays(a, b);
  return [a, b];
}

/**
 * COL and MEX listening on loopback and peered both ways, MEX reached (its descriptor's endpoint)
 * through a relay the test can take down and bring back, which keeps what passed through it.
 */
export async function relayedPair(
  overrides: ConfigInput = {},
): Promise<{ col: ListeningNode; mex: ListeningNode; relay: Relay }> {
  const [col] = (await startListeningNodes(["COL"], overrides)) as [ListeningNode];
  const relayPort = await freePort();
  const port = await freePort();
  const node = await createTestNode({
    ARIADNE_AUTH_RATE_LIMIT: 10_000,
    ARIADNE_FEDERATION_RETRY_BASE_MS: 50,
    ARIADNE_FEDERATION_PLAIN_LOOPBACK: true,
    ...overrides,
    ARIADNE_NODE_ID: "MEX",
    PORT: port,
    ARIADNE_PUBLIC_URL: `http://127.0.0.1:${relayPort}`,
  });
  await node.app.listen({ host: "127.0.0.1", port });
  const mex = { ...node, port };
  const relay = new Relay(relayPort, port);
  await relay.up();
  await peerBothWays(col, mex);
  return { col, mex, relay };
}
