/** The node's federation identity: keys created once, sealed at rest, and a signed descriptor anyone can fetch. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDescriptor } from "../../src/engines/federation/descriptor.ts";
import { fingerprint } from "../../src/engines/federation/keys.ts";
import { nodeKeys } from "../../src/platform/exchange/peers.ts";
import { signedIn } from "../helpers/factories.ts";
import { auditEvents, createTestNode, sql, type TestNode } from "../helpers/node.ts";

let node: TestNode;
beforeAll(async () => {
  node = await createTestNode({
    ARIADNE_PUBLIC_URL: "https://col.example.org",
    ARIADNE_NODE_NAME: "Colombia (test)",
  });
});
afterAll(async () => node?.close());

describe("the node's federation identity", () => {
  it("creates its keys once, even when many ask at the same time", async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => nodeKeys(node.ctx)));
    expect(new Set(all.map((k) => k.signing.kid)).size).toBe(1);
    expect(new Set(all.map((k) => k.encryption.kid)).size).toBe(1);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM node_keys`.execute(
      node.db.kysely,
    );
    expect(rows[0]?.n).toBe(2);
    expect(await auditEvents(node, "federation.keys_created")).toHaveLength(1);
  });

  it("keeps private keys sealed with the node's secret key, and the application cannot delete or alter them", async () => {
    const keys = await nodeKeys(node.ctx);
    const der = keys.signing.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    const { rows } = await sql<{ private_sealed: string }>`SELECT private_sealed FROM node_keys`.execute(
      node.db.kysely,
    );
    for (const r of rows) {
      expect(r.private_sealed.startsWith("v1.")).toBe(true);
      expect(r.private_sealed).not.toContain(der.slice(20, 60));
    }
    await expect(sql`DELETE FROM node_keys`.execute(node.db.kysely)).rejects.toThrow(/permission denied/);
    await expect(sql`UPDATE node_keys SET private_sealed = 'x'`.execute(node.db.kysely)).rejects.toThrow(
      /permission denied/,
    );
  });

  it("publishes a signed descriptor without signing in, with the fingerprints of its keys", async () => {
    const res = await node.app.inject({ method: "GET", url: "/api/federation/descriptor" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const v = await verifyDescriptor(body.descriptor);
    expect(v.descriptor).toMatchObject({
      nodeId: "COL",
      name: "Colombia (test)",
      endpoint: "https://col.example.org",
    });
    const keys = await nodeKeys(node.ctx);
    expect(body.fingerprints).toEqual({
      signing: fingerprint(keys.signing.kid),
      encryption: fingerprint(keys.encryption.kid),
    });
    expect(res.body).not.toMatch(/"d"\s*:/);
  });
});

describe("peers", () => {
  it("an administrator imports a descriptor, compares the fingerprint, approves, and can suspend", async () => {
    const { signDescriptor } = await import("../../src/engines/federation/descriptor.ts");
    const { generateNodeKeys } = await import("../../src/engines/federation/keys.ts");
    const admin = await signedIn(node, ["admin"]);
    const mexKeys = await generateNodeKeys();
    const descriptor = signDescriptor(
      {
        nodeId: "MEX",
        name: "México (test)",
        endpoint: "https://mex.example.org",
        issuedAt: "2026-11-01T00:00:00Z",
      },
      mexKeys,
    );
    const imported = await admin.inject("POST", "/api/federation/peers", { descriptor });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({
      nodeId: "MEX",
      status: "pending",
      fingerprints: { signing: fingerprint(mexKeys.signing.kid) },
    });
    // The wrong fingerprint is refused: the administrator must have compared it.
    const wrong = await admin.inject("POST", "/api/federation/peers/MEX/approve", {
      signingFingerprint: fingerprint(mexKeys.encryption.kid),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields[0].path).toBe("body.signingFingerprint");
    const approved = await admin.inject("POST", "/api/federation/peers/MEX/approve", {
      signingFingerprint: fingerprint(mexKeys.signing.kid).toLowerCase().replaceAll(" ", ""),
    });
    expect(approved.json()).toMatchObject({ status: "active" });
    const suspended = await admin.inject("POST", "/api/federation/peers/MEX/suspend", {
      reason: "keys compromised",
    });
    expect(suspended.json()).toMatchObject({ status: "suspended", statusReason: "keys compromised" });
    // A newer descriptor with new keys goes back to pending; an older one is refused.
    const newKeys = await generateNodeKeys();
    const rotated = await admin.inject("POST", "/api/federation/peers", {
      descriptor: signDescriptor(
        {
          nodeId: "MEX",
          name: "México (test)",
          endpoint: "https://mex.example.org",
          issuedAt: "2026-11-10T00:00:00Z",
        },
        newKeys,
      ),
    });
    expect(rotated.json()).toMatchObject({
      status: "pending",
      statusReason: expect.stringContaining("keys changed"),
    });
    const older = await admin.inject("POST", "/api/federation/peers", { descriptor });
    expect(older.statusCode).toBe(409);
    expect(
      (await admin.inject("GET", "/api/federation/peers"))
        .json()
        .peers.map((p: { nodeId: string }) => p.nodeId),
    ).toEqual(["MEX"]);
    for (const event of ["peer.imported", "peer.approved", "peer.suspended"]) {
      expect((await auditEvents(node, event)).length, event).toBeGreaterThan(0);
    }
  });

  it("refuses a tampered descriptor, the node's own, and non-administrators", async () => {
    const admin = await signedIn(node, ["admin"]);
    const own = (await node.app.inject({ method: "GET", url: "/api/federation/descriptor" })).json()
      .descriptor;
    const self = await admin.inject("POST", "/api/federation/peers", { descriptor: own });
    expect(self.json().error.fields[0]).toEqual({
      path: "body.descriptor",
      message: "is this node's own descriptor",
    });
    const [h, p, s] = own.split(".");
    const altered = JSON.parse(Buffer.from(p, "base64url").toString());
    altered.nodeId = "ESP";
    const forged = `${h}.${Buffer.from(JSON.stringify(altered)).toString("base64url")}.${s}`;
    const res = await admin.inject("POST", "/api/federation/peers", { descriptor: forged });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].message).toMatch(/signature does not verify/);
    const investigator = await signedIn(node, ["investigator"]);
    expect((await investigator.inject("GET", "/api/federation/peers")).statusCode).toBe(404);
    expect(
      (await admin.inject("POST", "/api/federation/peers/ZZZ/approve", { signingFingerprint: "AB" }))
        .statusCode,
    ).toBe(404);
  });
});
