/**
 * Mutual TLS between nodes (issue 4): nodes that serve HTTPS themselves and
 * require peers to present a client certificate from the federation's authority
 * exchange messages; a peer without one, or with one from another authority, is
 * refused before its envelopes are read, and its sender sees why; the
 * descriptor and the users' API stay reachable without a certificate.
 */
import { readFileSync } from "node:fs";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modusOperandiBody, signedIn } from "../helpers/factories.ts";
import type { Session } from "../helpers/node.ts";
import { type ListeningNode, peerBothWays, startListeningNodes, until } from "../helpers/peers.ts";
import { type Authority, newAuthority } from "../helpers/pki.ts";

let federation: Authority;
let col: ListeningNode;
let mex: ListeningNode;
let esp: ListeningNode;
let colLiaison: Session;
let espLiaison: Session;

/** A node with its own certificate, trusting the federation's authority both ways. */
async function mtlsNode(id: string, opts: { clientCert: boolean }) {
  const own = await federation.issue(id);
  const [node] = await startListeningNodes([id], {
    ARIADNE_TLS_CERT: own.certFile,
    ARIADNE_TLS_KEY: own.keyFile,
    ARIADNE_TLS_CLIENT_CA: federation.caFile,
    ARIADNE_FEDERATION_CA: federation.caFile,
    ...(opts.clientCert
      ? { ARIADNE_FEDERATION_CLIENT_CERT: own.certFile, ARIADNE_FEDERATION_CLIENT_KEY: own.keyFile }
      : {}),
  });
  return node as ListeningNode;
}

const notice = (to: string, summary: string) => modusOperandiBody({ to: [to], body: { summary } });

/** An HTTPS client trusting the federation's authority, presenting `cert` if given. */
function client(cert?: { certFile: string; keyFile: string }) {
  const dispatcher = new Agent({
    connect: {
      ca: readFileSync(federation.caFile, "utf8"),
      ...(cert ? { cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) } : {}),
    },
  });
  return (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    undiciFetch(`https://127.0.0.1:${mex.port}${path}`, { ...init, dispatcher });
}

beforeAll(async () => {
  federation = await newAuthority("Ariadne test federation CA");
  col = await mtlsNode("COL", { clientCert: true });
  mex = await mtlsNode("MEX", { clientCert: true });
  esp = await mtlsNode("ESP", { clientCert: false });
  await peerBothWays(col, mex);
  await peerBothWays(esp, mex);
  colLiaison = await signedIn(col, ["liaison_officer"]);
  espLiaison = await signedIn(esp, ["liaison_officer"]);
}, 60_000);

afterAll(async () => {
  // One after the other, as the other federation tests do.
  for (const n of [col, mex, esp]) await n?.close();
});

describe("mutual TLS between nodes", () => {
  it("nodes presenting the federation's certificates exchange over HTTPS", async () => {
    expect(col.config.tls?.clientCa).toBeDefined();
    const sent = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("MEX", "over mutual TLS"),
    );
    expect(sent.statusCode, sent.body).toBe(202);
    const id: string = sent.json().messages[0].id;
    expect(
      await until(async () => {
        const row = await mex.db.kysely
          .selectFrom("inbox")
          .select("id")
          .where("id", "=", id)
          .executeTakeFirst();
        return row !== undefined;
      }),
    ).toBe(true);
    // The signed receipt came back over the same kind of connection.
    const processed = await until(async () => {
      const row = await col.db.kysely
        .selectFrom("outbox")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return row.status === "processed";
    });
    expect(processed).toBe(true);
  });

  it("a peer without a client certificate is refused before its envelopes are read, and its sender sees why", async () => {
    const sent = await espLiaison.inject("POST", "/api/federation/messages", notice("MEX", "no certificate"));
    expect(sent.statusCode, sent.body).toBe(202);
    const id: string = sent.json().messages[0].id;
    const refused = await until(async () => {
      const row = await esp.db.kysely
        .selectFrom("outbox")
        .select(["status", "last_error"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return (row.last_error ?? "").includes("client certificate");
    });
    expect(refused).toBe(true);
    const row = await esp.db.kysely
      .selectFrom("outbox")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("queued"); // retried later: a certificate may yet be configured
    expect(await mex.db.kysely.selectFrom("inbox").select("id").where("id", "=", id).executeTakeFirst()).toBe(
      undefined,
    );
  });

  it("refuses envelopes without a certificate or with one from another authority; the descriptor and health stay open", async () => {
    const anonymous = client();
    const bare = await anonymous("/api/federation/envelopes", {
      method: "POST",
      headers: { "content-type": "application/jose" },
      body: "a.b.c",
    });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe(
      "client_certificate_required",
    );

    const stranger = client(await (await newAuthority("Some other CA")).issue("XXX"));
    const foreign = await stranger("/api/federation/envelopes", {
      method: "POST",
      headers: { "content-type": "application/jose" },
      body: "a.b.c",
    });
    expect(foreign.status).toBe(403);

    // With the federation's certificate the same garbage reaches the envelope checks, and is refused there.
    const member = client(await federation.issue("MEX-test-client"));
    const checked = await member("/api/federation/envelopes", {
      method: "POST",
      headers: { "content-type": "application/jose" },
      body: "a.b.c",
    });
    // (an envelope whose sender cannot be authenticated is answered 403 "rejected", without a receipt)
    expect(((await checked.json()) as { error: { code: string } }).error.code).toBe("rejected");

    const descriptor = await anonymous("/api/federation/descriptor");
    expect(descriptor.status).toBe(200);
    expect(((await descriptor.json()) as { nodeId: string }).nodeId).toBe("MEX");
    expect((await anonymous("/health")).status).toBe(200);
  });
});
