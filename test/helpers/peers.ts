/** Nodes that listen on loopback and are peered with each other, as federation tests need them. */
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import type { ConfigInput } from "../../src/platform/config.ts";
import { createTestNode, makeUser, signIn, type TestNode } from "./node.ts";

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });

/** Wait until a condition holds (polling), or give up after `ms` and answer its last value. */
export async function until(cond: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

export interface ListeningNode extends TestNode {
  port: number;
}

/** Start one node per id, each listening on a free loopback port with its real address in its descriptor. */
export async function startListeningNodes(
  ids: readonly string[],
  overrides: ConfigInput = {},
): Promise<ListeningNode[]> {
  const nodes: ListeningNode[] = [];
  for (const id of ids) {
    const port = await freePort();
    const node = await createTestNode({
      ARIADNE_AUTH_RATE_LIMIT: 10_000,
      ARIADNE_FEDERATION_RETRY_BASE_MS: 50,
      // Production-mode nodes on loopback: plain HTTP between them only because this says so.
      ARIADNE_FEDERATION_PLAIN_LOOPBACK: true,
      ...overrides,
      ARIADNE_NODE_ID: id,
      PORT: port,
      // A node given a certificate serves HTTPS itself, and says so in its descriptor.
      ARIADNE_PUBLIC_URL: `${overrides.ARIADNE_TLS_CERT ? "https" : "http"}://127.0.0.1:${port}`,
    });
    await node.app.listen({ host: "127.0.0.1", port });
    nodes.push({ ...node, port });
  }
  return nodes;
}

/** Each administrator imports the other's descriptor and approves it after comparing the fingerprint. */
export async function peer(here: TestNode, there: TestNode): Promise<void> {
  const admin = await signIn(here, await makeUser(here, ["admin"]));
  const d = (await there.app.inject({ method: "GET", url: "/api/federation/descriptor" })).json();
  const imported = await admin.inject("POST", "/api/federation/peers", { descriptor: d.descriptor });
  if (imported.statusCode !== 200) throw new Error(`import failed: ${imported.body}`);
  const ok = await admin.inject("POST", `/api/federation/peers/${d.nodeId}/approve`, {
    signingFingerprint: d.fingerprints.signing,
  });
  if (ok.statusCode !== 200) throw new Error(`approval failed: ${ok.body}`);
}

/** Peer two nodes both ways. */
export async function peerBothWays(a: TestNode, b: TestNode): Promise<void> {
  await peer(a, b);
  await peer(b, a);
}

/** The envelopes of a request body (a batch, or one envelope). */
export function envelopesOf(body: string, contentType: string): string[] {
  if (contentType.includes("json")) return (JSON.parse(body) as { envelopes: string[] }).envelopes;
  return [body];
}

/**
 * A relay in front of a node that keeps what passed through. "down" refuses connections;
 * "jose-only" answers a batch as a node that takes single envelopes only would (415).
 */
export class Relay {
  server: Server | null = null;
  seen: { contentType: string; envelopes: string[] }[] = [];
  mode: "pass" | "jose-only" = "pass";
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}
  async up() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const contentType = req.headers["content-type"] ?? "";
      if (this.mode === "jose-only" && contentType.includes("json")) {
        res.writeHead(415, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { code: "unsupported_media_type", message: "application/jose only" } }),
        );
        return;
      }
      this.seen.push({ contentType, envelopes: envelopesOf(body, contentType) });
      const r = await fetch(`http://127.0.0.1:${this.target}${req.url}`, {
        method: req.method ?? "POST",
        headers: { "content-type": contentType },
        body,
      });
      res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
      res.end(await r.text());
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, "127.0.0.1", resolve));
  }
  async down() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server?.closeAllConnections();
    this.server = null;
  }
}
