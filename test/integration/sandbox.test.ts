/**
 * The sandbox federation (`npm start`): the Secretariat and three national nodes in one
 * process on consecutive loopback ports, each with its own database and demo data, peered
 * both ways; a message from COL reaches MEX; a second start on the same directories
 * changes nothing, and a node whose data was deleted is peered again with its new keys.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpNow } from "../../src/platform/auth/crypto.ts";
import { listPeers } from "../../src/platform/exchange/peers.ts";
import { demoCase } from "../../src/server/demo/cases.ts";
import type { RunningNode } from "../../src/server/node.ts";
import { DEMO_PASSWORD } from "../../src/server/sandbox.ts";
import {
  type RunningSandbox,
  type SandboxOptions,
  sandboxTemplate,
  startSandbox,
} from "../../src/server/sandbox-federation.ts";
import { noticeBody } from "../helpers/factories.ts";

const base = mkdtempSync(join(tmpdir(), "ariadne-sandbox-test-"));
const templateDir = join(base, "template");
const baseDir = join(base, "data");
let basePort = 0;
let sandbox: RunningSandbox | undefined;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

/** A base port whose next three ports are free too. */
async function freePorts(n: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 40_000);
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = await portFree(first + i);
    if (ok) return first;
  }
  throw new Error("no four consecutive free ports");
}

const options = (): SandboxOptions => ({
  baseDir,
  basePort,
  templateDir,
  casesPerNode: 2,
  env: { LOG_LEVEL: "silent", ARIADNE_AUTH_RATE_LIMIT: "10000", ARIADNE_FEDERATION_RETRY_BASE_MS: "50" },
});

const node = (s: RunningSandbox, id: string): RunningNode => {
  const n = s.nodes.find((x) => x.config.nodeId === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

const count = async (n: RunningNode, table: "users" | "cases" | "peers") =>
  Number(
    (
      await n.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

const auditCount = async (n: RunningNode, event: string) =>
  Number(
    (
      await n.db.kysely
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("event", "=", event)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Signs a demo user in over HTTP with the password and the current code (once per user and node here). */
async function signIn(s: RunningSandbox, url: string, username: string) {
  const secret = s.logins.find((l) => l.username === username)?.totpSecret;
  if (!secret) throw new Error(`no demo user ${username}`);
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(login.status, await login.clone().text()).toBe(200);
  const first = login.headers.getSetCookie().find((c) => c.startsWith("ariadne_session="));
  const totp = await fetch(`${url}/api/auth/totp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      cookie: first?.split(";")[0] ?? "",
      "x-csrf-token": ((await login.json()) as { csrfToken: string }).csrfToken,
    },
    body: JSON.stringify({ code: totpNow(secret) }),
  });
  expect(totp.status, await totp.clone().text()).toBe(200);
  const cookie = totp.headers
    .getSetCookie()
    .find((c) => c.startsWith("ariadne_session="))
    ?.split(";")[0];
  const csrf = ((await totp.json()) as { csrfToken: string }).csrfToken;
  return (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        cookie: cookie ?? "",
        "x-csrf-token": csrf,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}

async function until(cond: () => Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** Every node lists every other as an active peer, at its real address and with its current key. */
async function expectFullyPeered(s: RunningSandbox) {
  const fingerprints = new Map(
    await Promise.all(
      s.nodes.map(async (n) => {
        const d = (await (await fetch(`${n.url}/api/federation/descriptor`)).json()) as {
          nodeId: string;
          fingerprints: { signing: string };
        };
        return [d.nodeId, d.fingerprints.signing] as const;
      }),
    ),
  );
  for (const n of s.nodes) {
    const peers = await listPeers(n.systemCtx("test"));
    expect(peers.map((p) => [p.nodeId, p.status])).toEqual(
      s.info
        .map((i) => i.nodeId)
        .filter((id) => id !== n.config.nodeId)
        .sort()
        .map((id) => [id, "active"]),
    );
    for (const p of peers) {
      expect(p.endpoint).toBe(s.info.find((i) => i.nodeId === p.nodeId)?.url);
      expect(p.fingerprints.signing).toBe(fingerprints.get(p.nodeId));
    }
  }
}

// The sandbox runs on the embedded database only: nothing to repeat on the PostgreSQL tier.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))("the sandbox federation", () => {
  beforeAll(async () => {
    basePort = await freePorts(4);
    await sandboxTemplate(templateDir);
    sandbox = await startSandbox(options());
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it("starts the Secretariat and three national nodes on consecutive ports, each with its own data", async () => {
    const s = sandbox as RunningSandbox;
    expect(s.info.map((n) => [n.nodeId, n.url, n.fresh])).toEqual(
      ["COL", "MEX", "ESP", "UNODC"].map((id, i) => [id, `http://127.0.0.1:${basePort + i}`, true]),
    );
    for (const n of s.nodes) {
      expect((await fetch(`${n.url}/ready`)).status).toBe(200);
      // One per role, and a second administrator (four eyes).
      expect(await count(n, "users")).toBe(12);
    }
    // The Secretariat holds no cases; each national node its own, with its own references.
    expect(await count(node(s, "UNODC"), "cases")).toBe(0);
    const refs = await Promise.all(
      ["COL", "MEX", "ESP"].map(async (id) =>
        (await node(s, id).db.kysely.selectFrom("cases").select("reference").execute()).map(
          (c) => c.reference,
        ),
      ),
    );
    for (const [i, id] of ["COL", "MEX", "ESP"].entries()) {
      expect(refs[i]).toHaveLength(2);
      expect(refs[i]?.every((r) => r.startsWith(`${id}-`))).toBe(true);
    }
    // Different seeds: different people.
    const victims = await Promise.all(
      ["COL", "MEX"].map(async (id) =>
        JSON.stringify(
          await node(s, id)
            .db.kysely.selectFrom("case_persons")
            .select("display_name")
            .where("role", "=", "victim")
            .orderBy("created_at")
            .execute(),
        ),
      ),
    );
    expect(victims[0]).not.toBe(victims[1]);
    // One authenticator entry per demo user serves every node.
    expect(s.secretsDiffer).toEqual([]);
  });

  it("has every node peered with the other three, both ways, at their loopback addresses", async () => {
    const s = sandbox as RunningSandbox;
    expect(s.peering.changed).toHaveLength(12);
    expect(s.peering.notes).toEqual([]);
    await expectFullyPeered(s);
    // As an administrator sees it through the API.
    const admin = await signIn(s, node(s, "UNODC").url, "admin");
    const listed = (await (await admin("GET", "/api/federation/peers")).json()) as {
      peers: { nodeId: string; status: string }[];
    };
    expect(listed.peers.map((p) => `${p.nodeId}:${p.status}`)).toEqual([
      "COL:active",
      "ESP:active",
      "MEX:active",
    ]);
  });

  it("carries a message from COL's liaison officer to MEX", async () => {
    const s = sandbox as RunningSandbox;
    const liaison = await signIn(s, node(s, "COL").url, "liaison-officer");
    const sent = await liaison(
      "POST",
      "/api/federation/messages",
      noticeBody({ to: ["MEX"], body: { summary: "Sandbox notice (synthetic)" } }),
    );
    expect(sent.status, await sent.clone().text()).toBe(202);
    const [message] = ((await sent.json()) as { messages: { id: string }[] }).messages;
    const id = message?.id ?? "";
    const mex = node(s, "MEX");
    expect(
      await until(
        async () =>
          (await mex.db.kysely.selectFrom("inbox").select("sender").where("id", "=", id).executeTakeFirst())
            ?.sender === "COL",
      ),
    ).toBe(true);
    const col = node(s, "COL");
    expect(
      await until(
        async () =>
          (await col.db.kysely.selectFrom("outbox").select("status").where("id", "=", id).executeTakeFirst())
            ?.status === "processed",
      ),
    ).toBe(true);
  });

  it("lets COL's investigator find, by hit/no-hit, the suspect of its first case that MEX also holds", async () => {
    const s = sandbox as RunningSandbox;
    const col = node(s, "COL");
    const first = await col.db.kysely
      .selectFrom("cases")
      .select("id")
      .orderBy("created_at")
      .orderBy("reference")
      .executeTakeFirstOrThrow();
    const investigator = await signIn(s, col.url, "investigator");
    const items = (
      (await (await investigator("GET", `/api/cases/${first.id}/hit-items`)).json()) as {
        items: { key: string; type: string; label: string; refusal: string | null }[];
      }
    ).items;
    const suspect = demoCase(1, 0, "COL").persons.find((p) => p.role === "suspect");
    const given = suspect?.names.find((n) => n.script === "latin")?.given ?? "";
    const asked = items.filter(
      (i) => !i.refusal && i.label.includes(given) && ["person", "phone"].includes(i.type),
    );
    expect(asked.map((i) => i.type).sort()).toEqual(["person", "phone"]);
    const res = await investigator("POST", `/api/cases/${first.id}/hit-queries`, {
      items: asked.map((i) => i.key),
      peers: ["MEX"],
      purpose: "sandbox demonstration",
      legalBasis: "UNTOC art. 27",
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const id = ((await res.json()) as { id: string }).id;
    type Answer = { status: string; results: { item: string; hits: unknown[] }[] };
    const answer = async () =>
      (
        (await (await investigator("GET", `/api/cases/${first.id}/hit-queries`)).json()) as {
          queries: { id: string; answers: Answer[] }[];
        }
      ).queries.find((q) => q.id === id)?.answers[0];
    expect(await until(async () => (await answer())?.status === "answered", 20_000)).toBe(true);
    const hits = (await answer())?.results.map((r) => r.hits.length);
    expect(hits).toEqual([1, 1]);
  });

  it("starts again on the same directories without importing, approving or seeding anything", async () => {
    const before = sandbox as RunningSandbox;
    const counts = async (s: RunningSandbox) =>
      Promise.all(
        s.nodes.map(async (n) => [
          n.config.nodeId,
          await count(n, "users"),
          await count(n, "cases"),
          await count(n, "peers"),
          await auditCount(n, "peer.imported"),
          await auditCount(n, "peer.approved"),
        ]),
      );
    const was = await counts(before);
    await before.close();
    sandbox = undefined;
    sandbox = await startSandbox(options());
    expect(sandbox.info.every((n) => !n.fresh)).toBe(true);
    expect(sandbox.peering).toEqual({ unchanged: 12, changed: [], notes: [] });
    expect(await counts(sandbox)).toEqual(was);
    await expectFullyPeered(sandbox);
    expect(before.logins).toEqual(sandbox.logins.map((l) => ({ ...l, totpCode: expect.any(String) })));
  });

  it("peers a node whose data was deleted again, with its new keys, and gives it the same demo logins", async () => {
    await sandbox?.close();
    sandbox = undefined;
    rmSync(join(baseDir, "esp"), { recursive: true, force: true });
    rmSync(join(baseDir, "esp.key"), { force: true });
    sandbox = await startSandbox(options());
    expect(sandbox.info.map((n) => [n.nodeId, n.fresh])).toEqual([
      ["COL", false],
      ["MEX", false],
      ["ESP", true],
      ["UNODC", false],
    ]);
    expect(sandbox.peering.changed).toEqual([
      "COL → ESP",
      "ESP → COL",
      "ESP → MEX",
      "ESP → UNODC",
      "MEX → ESP",
      "UNODC → ESP",
    ]);
    expect(sandbox.peering.unchanged).toBe(6);
    await expectFullyPeered(sandbox);
    expect(sandbox.secretsDiffer).toEqual([]);
    expect(await count(node(sandbox, "ESP"), "cases")).toBe(2);
  });
});
