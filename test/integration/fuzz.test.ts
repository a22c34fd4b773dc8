/**
 * The fuzz tier: every operation of the node's OpenAPI document is called with generated malformed
 * input (fast-check) — path segments, query strings, bodies generated from the documented request
 * schema and then mutated, raw bodies that are not JSON, wrong content types — anonymously and as
 * signed-in users who hold every permission (two accounts: the administrator and the auditor may
 * not be one), so that the handlers behind the guard are reached. It fails on any 5xx, on a status
 * the operation does not document unless it is a 4xx with the documented error envelope, and on a
 * JSON body that breaks the documented schema (checked with ajv).
 *
 * Reproducible: a fixed seed and a fixed number of runs per operation. A failure prints the seed
 * and fast-check's path; FUZZ_SEED=<seed> replays it, FUZZ_ONLY="POST /api/cases" narrows the run
 * to operations whose "METHOD /path" contains the text, FUZZ_RUNS=<n> goes deeper (runs per
 * operation for the signed-in users; anonymous callers get a quarter).
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Permission, permissionsOf, ROLES, type Role } from "../../src/domain/roles.ts";
import {
  addPerson,
  caseBody,
  modusOperandiBody,
  noticeBody,
  openCase,
  personBody,
  type SignedIn,
  signedIn,
} from "../helpers/factories.ts";
import {
  type Body,
  bodyFor,
  type Components,
  encode,
  generated,
  type Hints,
  type QueryParam,
  queryFor,
  rawBody,
  type Schema,
  segmentFor,
  validBody,
} from "../helpers/fuzz.ts";
import { cookieFrom, createTestNode, makeUser, type TestNode } from "../helpers/node.ts";
import { peer } from "../helpers/peers.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const ANONYMOUS_RUNS = Math.max(2, Math.ceil(RUNS / 4));
const ONLY = process.env.FUZZ_ONLY;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

interface Operation {
  method: string;
  /** The documented path, `{id}` style. */
  path: string;
  label: string;
  op: {
    parameters?: (QueryParam & { in: string })[];
    requestBody?: { content: Record<string, { schema: Schema }> };
    responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  };
  access: string;
}

interface Actor {
  name: string;
  headers: Record<string, string>;
}

let node: TestNode;
let doc: { paths: Record<string, Record<string, Operation["op"]>>; components: Components };
let operations: Operation[] = [];
const actors: Record<string, Actor> = {};
/** Which actor fuzzes a permission: the first whose roles grant it. */
const holders: { actor: string; permissions: ReadonlySet<Permission> }[] = [];
/** Real ids for path segments, by the segment's documented path and name. */
const known: Record<string, string[]> = {};
const hints: Hints = {};
/** Bodies known to pass what a JSON schema cannot say (real codes, checksums, cross-field rules), by operation. */
const examples: Record<string, unknown[]> = {};
const tally = new Map<string, { statuses: Map<number, number>; ms: number }>();

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(key: string, schema: Schema) {
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile({ ...schema, components: doc.components });
    validators.set(key, v);
  }
  return v;
}

/** A partial session: the password given, the second factor still owed. */
async function passwordOnly(): Promise<Actor> {
  const user = await makeUser(node, ["investigator"]);
  const res = await node.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: user.username, password: user.password },
  });
  const { csrfToken } = res.json() as { csrfToken: string };
  return { name: "password-only", headers: { cookie: cookieFrom(res), "x-csrf-token": csrfToken } };
}

const session = (name: string, s: SignedIn): Actor => ({
  name,
  headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
});

/** A record made through the API with the first generated body the node accepts. */
async function made(
  actor: Actor,
  method: string,
  path: string,
  url: string,
): Promise<Record<string, unknown>> {
  const op = doc.paths[path]?.[method];
  const schema = op?.requestBody?.content["application/json"]?.schema;
  if (!schema) throw new Error(`${method} ${path} has no JSON body`);
  const bodies = fc.sample(generated(schema, doc.components, 0, hints), { seed: SEED, numRuns: 200 });
  for (const body of bodies) {
    const res = await node.app.inject({
      method: method.toUpperCase() as "POST",
      url,
      headers: actor.headers,
      payload: body as object,
    });
    if (res.statusCode < 300) return res.json() as Record<string, unknown>;
  }
  throw new Error(`no generated body was accepted by ${method} ${path}`);
}

beforeAll(async () => {
  node = await createTestNode({
    ARIADNE_AUTH_RATE_LIMIT: 100_000,
    ARIADNE_BODY_LIMIT_BYTES: 64 * 1024,
    ARIADNE_ATTACHMENT_MAX_BYTES: 64 * 1024,
  });
  doc = (await node.app.inject({ method: "GET", url: "/api/openapi.json" })).json();

  // Every permission, in two accounts (separation of duties): all roles but the auditor's, and the auditor.
  const allButAuditor = ROLES.filter((r) => r !== "auditor") as Role[];
  const worker = await signedIn(node, allButAuditor);
  const auditor = await signedIn(node, ["auditor"]);
  actors.anonymous = { name: "anonymous", headers: {} };
  actors.worker = session("worker", worker);
  actors.auditor = session("auditor", auditor);
  actors["password-only"] = await passwordOnly();
  // Signing out ends the session it is called with: it gets a session of its own.
  actors.leaving = session("leaving", await signedIn(node, ["investigator"]));
  holders.push({ actor: "worker", permissions: permissionsOf(allButAuditor) });
  holders.push({ actor: "auditor", permissions: permissionsOf(["auditor"]) });

  // An approved peer (MEX, closed again: nothing is delivered), so that messages get past the recipient check.
  const mex = await createTestNode({ ARIADNE_NODE_ID: "MEX" });
  await peer(node, mex);
  const mexDescriptor = (
    await mex.app.inject({ method: "GET", url: "/api/federation/descriptor" })
  ).json() as {
    descriptor: unknown;
    fingerprints: { signing: string };
  };
  await mex.close();

  // Real records, so that some generated requests name something that exists.
  const colleague = await makeUser(node, ["investigator"]);
  const kase = await openCase(worker);
  const person = await addPerson(worker, kase.id);
  Object.assign(hints, { personId: [person.id], userId: [colleague.id], caseId: [kase.id] });
  const charge = await made(
    actors.worker,
    "post",
    "/api/cases/{id}/charges",
    `/api/cases/${kase.id}/charges`,
  );
  const attachment = await node.app.inject({
    method: "POST",
    url: `/api/cases/${kase.id}/attachments?filename=note.txt`,
    headers: { ...actors.worker.headers, "content-type": "text/plain" },
    payload: "synthetic attachment",
  });
  const token = await node.app.inject({
    method: "POST",
    url: "/api/tokens",
    headers: actors.worker.headers,
    payload: { name: "fuzz", scopes: ["system.monitor"], expiresInDays: 1 },
  });
  const { token: tokenView, secret } = token.json() as { token: { id: string }; secret: string };
  // The metrics are scraped with an API token.
  actors.token = { name: "token", headers: { authorization: `Bearer ${secret}` } };
  const ret = await made(actors.worker, "post", "/api/statistics/returns", "/api/statistics/returns");
  Object.assign(examples, {
    "POST /api/users": [{ username: "fuzz.colleague", displayName: "Synthetic Person", roles: ["analyst"] }],
    "POST /api/cases": [caseBody(), caseBody({ place: { country: "MEX", region: "Jalisco" } })],
    "POST /api/cases/{id}/persons": [
      personBody(),
      personBody({ phones: [{ number: "33 1234 5678", region: "MX" }], ibans: ["ES9121000418450200051332"] }),
    ],
    "POST /api/cases/{id}/crisis-log": [{ entry: { kind: "note", summary: "Synthetic note" } }],
    "POST /api/cases/{id}/groups": [{ name: "Los Sintéticos", aliases: ["LS"], countries: ["MEX", "GTM"] }],
    "POST /api/cases/{id}/vehicles": [
      { plate: "jal-12 34", plateCountry: "MEX", make: "Nissan", use: "abduction" },
    ],
    "POST /api/cases/{id}/selectors": [
      { kind: "phone", value: "33 1234 5678", region: "MX", personId: person.id },
      { kind: "iban", value: "es91 2100 0418 4502 0005 1332" },
      { kind: "crypto_wallet", asset: "ETH", value: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" },
    ],
    "POST /api/cases/{id}/charges": [
      { offence: "Kidnapping", legalProvision: "Art. 168", personId: person.id },
    ],
    "PUT /api/cases/{id}/charges/{chargeId}": [
      { offence: "Kidnapping", legalProvision: "Art. 168", stage: "trial" },
    ],
    "POST /api/federation/messages": [noticeBody(), modusOperandiBody()],
    "POST /api/federation/peers": [{ descriptor: mexDescriptor.descriptor }],
    "POST /api/federation/peers/{nodeId}/approve": [
      { signingFingerprint: mexDescriptor.fingerprints.signing },
    ],
    "POST /api/federation/messages/batch": [{ messages: [noticeBody(), modusOperandiBody()] }],
  });
  Object.assign(known, {
    "/api/cases/{id}:id": [kase.id],
    "/api/cases/{id}/team/{userId}:userId": [colleague.id],
    "/api/cases/{id}/charges/{chargeId}:chargeId": [String(charge.id)],
    "/api/cases/{id}/attachments/{attachmentId}:attachmentId": [(attachment.json() as { id: string }).id],
    "/api/users/{id}:id": [colleague.id],
    "/api/tokens/{id}:id": [tokenView.id],
    "/api/statistics/returns/{id}:id": [String(ret.id)],
    ":nodeId": ["MEX", "COL"],
  });
  const sent = await node.app.inject({
    method: "POST",
    url: "/api/federation/messages",
    headers: actors.worker.headers,
    payload: noticeBody(),
  });
  const outbox = (sent.json() as { messages?: { id: string }[] }).messages?.map((m) => m.id) ?? [];
  if (outbox.length === 0) throw new Error(`no message queued: ${sent.body}`);
  known["/api/federation/outbox/{id}:id"] = outbox;

  const accessOf = new Map(
    node.routes.map((r) => [`${r.method} ${r.url.replace(/:([A-Za-z]+)/g, "{$1}")}`, r.access]),
  );
  for (const [path, ops] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const label = `${method.toUpperCase()} ${path}`;
      operations.push({ method, path, label, op, access: accessOf.get(label) ?? "public" });
    }
  if (ONLY) operations = operations.filter((o) => o.label.includes(ONLY));
  // Changes that take the fuzzing users' own access away from the real case go last.
  const last = (o: Operation) =>
    o.method === "delete" || o.path.endsWith("/transition") || o.path.endsWith("/suspend") ? 1 : 0;
  operations.sort((a, b) => last(a) - last(b));
});

afterAll(async () => {
  if (tally.size > 0) {
    const lines = [...tally].map(
      ([k, { statuses, ms }]) =>
        `${k}: ${[...statuses]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}×${n}`)
          .join(" ")} (${ms} ms)`,
    );
    console.log(`fuzz (seed ${SEED}, ${RUNS} runs per operation), statuses seen:\n${lines.join("\n")}`);
  }
  await node?.close();
});

function knownFor(path: string, name: string): string[] {
  const prefix = path.slice(0, path.indexOf(`{${name}}`) + name.length + 2);
  return known[`${prefix}:${name}`] ?? known[`:${name}`] ?? [];
}

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Body;
}

const describeCall = (c: Call) => {
  const p = c.body.payload;
  const shown =
    p === undefined
      ? ""
      : ` body(${c.body.label}, ${c.body.contentType ?? "no type"}) ${String(p).slice(0, 300)}${String(p).length > 300 ? `… (${String(p).length} chars)` : ""}`;
  const url = c.url.length > 300 ? `${c.url.slice(0, 300)}… (${c.url.length} chars)` : c.url;
  return `${c.method} ${url}${shown}`;
};

function callsFor(o: Operation, actor: Actor): fc.Arbitrary<Call> {
  const params = o.op.parameters ?? [];
  const segments = params.filter((p) => p.in === "path");
  const query = params.filter((p) => p.in === "query");
  const schema = o.op.requestBody?.content["application/json"]?.schema;
  const rarely = <T>(a: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
  const headerOptions = fc.record({
    purpose: rarely(
      fc.oneof(fc.string({ maxLength: 20 }), fc.constant("x".repeat(5000)), fc.constant("\u202e")),
    ),
    lastEventId: rarely(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 20 }), fc.constant("-1"))),
    noCsrf: rarely(fc.constant(true)),
    accept: rarely(fc.constantFrom("text/html", "application/xml", "*/*", "text/event-stream")),
  });
  // Well formed: real or made-up ids, documented query values, a body the schema accepts — what reaches
  // the use case; then everything else.
  const wellFormed = fc.tuple(
    fc.tuple(
      ...segments.map((p) => {
        const ids = knownFor(o.path, p.name);
        return ids.length > 0
          ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, fc.uuid({ version: [4, 7] }))
          : (generated(p.schema, doc.components) as fc.Arbitrary<string>).map(encode);
      }),
    ),
    fc
      .tuple(
        ...query.map((p) => {
          const value = generated(p.schema, doc.components, 0, hints);
          return p.required ? value : fc.option(value, { nil: undefined });
        }),
      )
      .map((vs) =>
        vs
          .map((v, i) => (v === undefined ? "" : `${query[i]?.name}=${encode(String(v))}`))
          .filter(Boolean)
          .join("&"),
      ),
    schema
      ? validBody(schema, doc.components, hints, examples[o.label]).map(
          (v): Body => ({ payload: JSON.stringify(v), contentType: "application/json", label: "valid" }),
        )
      : o.path.endsWith("/attachments")
        ? attachment
        : fc.constant<Body>({ label: "no body" }),
    fc.constant({} as { purpose?: string; lastEventId?: string; noCsrf?: boolean; accept?: string }),
  );
  const fuzzed = fc.tuple(
    fc.tuple(...segments.map((p) => segmentFor(p.schema, doc.components, knownFor(o.path, p.name)))),
    queryFor(query, doc.components),
    o.path === ENVELOPES
      ? fc.oneof(envelopeBody, rawBody)
      : o.path.endsWith("/attachments")
        ? fc.oneof(attachment, rawBody)
        : bodyFor(schema, doc.components, hints, examples[o.label]),
    headerOptions,
  );
  return fc
    .oneof({ weight: 2, arbitrary: wellFormed }, { weight: 3, arbitrary: fuzzed })
    .map(([segs, q, body, h]) => {
      let url = o.path;
      segments.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, segs[i] ?? "");
      });
      if (q) url += `?${q}`;
      const headers: Record<string, string> = { ...actor.headers };
      if (h.noCsrf) delete headers["x-csrf-token"];
      // Header values must be Latin-1 on the wire: what is not is sent percent-encoded.
      const latin1 = (s: string) => (/^[\u0020-\u007e\u00a0-\u00ff]*$/.test(s) ? s : encode(s));
      if (h.purpose !== undefined) headers["x-ariadne-purpose"] = latin1(h.purpose);
      if (h.lastEventId !== undefined) headers["last-event-id"] = latin1(h.lastEventId);
      if (h.accept) headers.accept = h.accept;
      if (body.payload !== undefined && body.contentType !== undefined)
        headers["content-type"] = body.contentType;
      const call: Call = { method: o.method.toUpperCase(), url, headers, body };
      return Object.assign(call, { [fc.toStringMethod]: () => describeCall(call) });
    });
}

const isStream = (o: Operation) => o.path.endsWith("/stream");

/** An attachment's body is the file itself, of any type. */
const attachment: fc.Arbitrary<Body> = fc
  .tuple(
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom(
      "application/pdf",
      "image/png",
      "text/plain",
      "application/octet-stream",
      "application/json",
    ),
  )
  .map(([bytes, contentType]) => ({ payload: Buffer.from(bytes), contentType, label: "file" }));

/** The envelope route needs envelopes signed by a peer: what can be fuzzed is how it refuses everything else. */
const ENVELOPES = "/api/federation/envelopes";
const b64url = fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b).toString("base64url"));
const compact = fc.oneof(
  fc.array(b64url, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(".")),
  fc
    .tuple(fc.jsonValue({ maxDepth: 1 }), b64url, b64url)
    .map(([h, p, sig]) => `${Buffer.from(JSON.stringify(h)).toString("base64url")}.${p}.${sig}`),
  fc.constantFrom("eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJFZERTQSIsImtpZCI6IngifQ.e30.AAAA", ".."),
);
const envelopeBody: fc.Arbitrary<Body> = fc.oneof(
  compact.map((c): Body => ({ payload: c, contentType: "application/jose", label: "compact JWS" })),
  fc.array(fc.oneof(compact, fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }).map(
    (envelopes): Body => ({
      payload: JSON.stringify({ envelopes }),
      contentType: "application/json",
      label: "batch",
    }),
  ),
  fc.integer({ min: 101, max: 150 }).map(
    (n): Body => ({
      payload: JSON.stringify({ envelopes: Array.from({ length: n }, () => "a.b.c") }),
      contentType: "application/json",
      label: `batch of ${n}`,
    }),
  ),
);

async function send(o: Operation, c: Call): Promise<{ res: LightMyRequestResponse; text: string }> {
  const res = await node.app.inject({
    method: c.method as "GET",
    url: c.url,
    headers: c.headers,
    ...(c.body.payload !== undefined ? { payload: c.body.payload } : {}),
    // An open event stream never ends: its head is checked, then it is dropped (closed by the node on close).
    ...(isStream(o) ? { payloadAsStream: true } : {}),
  });
  if (!isStream(o)) return { res, text: res.body };
  const stream = res.stream();
  if (String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
    stream.destroy();
    return { res, text: "" };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return { res, text: Buffer.concat(chunks).toString() };
}

/** Why this answer breaks the documented contract, or null. */
function breach(o: Operation, res: LightMyRequestResponse, text: string): string | null {
  const status = res.statusCode;
  if (status >= 500) return `answered ${status}: ${text.slice(0, 500)}`;
  if (o.path === ENVELOPES) {
    // Nothing here is signed by a peer: each envelope is refused, one at a time or in a batch.
    const receipts = status === 200 ? (JSON.parse(text) as { receipts?: unknown[] }).receipts : undefined;
    if (status < 400 && !receipts?.every((r) => r === null))
      return `accepted an unsigned envelope: ${status} ${text.slice(0, 300)}`;
  }
  const type = String(res.headers["content-type"] ?? "");
  const documented = o.op.responses[String(status)];
  if (!documented && (status < 400 || status >= 500))
    return `answered ${status}, which the operation does not document`;
  const schema = documented?.content?.["application/json"]?.schema ?? doc.components.schemas?.Error;
  if (!schema) return null;
  if (type.startsWith("text/event-stream"))
    return isStream(o) && status === 200 ? null : `an event stream with ${status}`;
  if (!type.startsWith("application/json")) {
    // Files, PDFs, SDMX and metrics are documented without their media type; an error is always JSON.
    return status >= 400 ? `answered ${status} as ${type || "no type"}: ${text.slice(0, 200)}` : null;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const validate = validatorFor(`${o.label} ${documented ? status : "error"}`, schema);
  if (!validate(body))
    return `answered ${status} with a body that breaks the documented schema: ${ajv.errorsText(validate.errors)}; body ${text.slice(0, 300)}`;
  return null;
}

function actorsFor(o: Operation): Actor[] {
  const out: Actor[] = [actors.anonymous as Actor];
  if (o.path === "/api/auth/logout") out.push(actors.leaving as Actor);
  else if (o.access === "partial") out.push(actors["password-only"] as Actor, actors.worker as Actor);
  else if (o.path === "/metrics") out.push(actors.token as Actor);
  else if (o.access !== "public") {
    const holder = holders.find((h) => h.permissions.has(o.access as Permission));
    if (holder) out.push(actors[holder.actor] as Actor);
  } else out.push(actors.worker as Actor);
  return out;
}

describe("fuzz: every operation of the OpenAPI document", () => {
  it("walks every operation", async () => {
    expect(operations.length).toBeGreaterThan(ONLY ? 0 : 80);
    const started = Date.now();
    const failures: string[] = [];
    for (const o of operations) {
      for (const actor of actorsFor(o)) {
        const key = `${o.label} as ${actor.name}`;
        const seen = new Map<number, number>();
        const began = Date.now();
        const property = fc.asyncProperty(callsFor(o, actor), async (c) => {
          const { res, text } = await send(o, c);
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
          const why = breach(o, res, text);
          if (why) throw new Error(why);
        });
        const result = await fc.check(property, {
          seed: SEED,
          numRuns: actor.name === "anonymous" ? ANONYMOUS_RUNS : RUNS,
        });
        tally.set(key, { statuses: seen, ms: Date.now() - began });
        if (result.failed)
          failures.push(
            `${key}: ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}\n${fc.defaultReportMessage(result)}\n  reproduce: FUZZ_SEED=${SEED} FUZZ_ONLY="${o.label}" npx vitest run test/integration/fuzz.test.ts`,
          );
      }
    }
    console.log(`fuzz: ${operations.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(failures, failures.join("\n\n")).toEqual([]);
  }, 600_000);
});
