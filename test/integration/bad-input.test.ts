/** Bad input gets a 4xx that names the field and why, and never corrupts data. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseBody, openCase, personBody, signedIn } from "../helpers/factories.ts";
import { createTestNode, type Session, type TestNode } from "../helpers/node.ts";

let node: TestNode;
let admin: Session;
beforeAll(async () => {
  node = await createTestNode({ ARIADNE_BODY_LIMIT_BYTES: 64 * 1024, ARIADNE_AUTH_RATE_LIMIT: 10_000 });
  admin = await signedIn(node, ["admin"]);
});
afterAll(async () => node?.close());

const raw = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  node.app.inject({
    method: "POST",
    url: "/api/users",
    payload,
    headers: {
      cookie: admin.cookie,
      "x-csrf-token": admin.csrf,
      "content-type": "application/json",
      ...headers,
    },
  });

// A role without case work: one with case work waits for a second administrator (approvals.test.ts).
const validUser = (over: Record<string, unknown> = {}) => ({
  username: `u${Math.random().toString(36).slice(2, 10)}`,
  displayName: "Synthetic Person",
  roles: ["statistics_focal_point"],
  ...over,
});

const fieldsOf = (res: { json(): { error: { fields: { path: string; message: string }[] } } }) =>
  res.json().error.fields as [{ path: string; message: string }, ...{ path: string; message: string }[]];

describe("malformed requests", () => {
  it("malformed JSON", async () => {
    const res = await raw('{"username": "abc", ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("malformed_json");
    expect(fieldsOf(res)[0].path).toBe("body");
  });

  it("invalid UTF-8 bytes", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"username":"ab'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('c","displayName":"x","roles":["analyst"]}'),
    ]);
    const res = await raw(bytes);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: "invalid_encoding",
      fields: [{ path: "body", message: "is not valid UTF-8" }],
    });
  });

  it("a body over the size limit", async () => {
    const res = await raw(JSON.stringify(validUser({ displayName: "x".repeat(70 * 1024) })));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });

  it("a body that is not JSON", async () => {
    const res = await raw("username=abc", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe("unsupported_media_type");
  });

  it("prototype-poisoning keys", async () => {
    const res = await raw(
      '{"username":"abcd","displayName":"x","roles":["analyst"],"__proto__":{"admin":true}}',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("malformed_json");
  });

  it("a path segment the router refuses gets the error envelope (found by the fuzz tier)", async () => {
    const long = await admin.inject("GET", `/api/users/${"a".repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({
      code: "validation_failed",
      fields: [{ path: "params", message: "is longer than 200 characters" }],
    });
    const badEscape = await admin.inject("GET", "/api/users/%zz");
    expect(badEscape.statusCode).toBe(400);
    expect(badEscape.json().error).toMatchObject({
      code: "validation_failed",
      fields: [{ path: "request" }],
    });
  });
});

describe("found by the fuzz tier", () => {
  it("PATCH /api/statistics/returns/{id} with nothing to change is refused, not a 500", async () => {
    const focal = await signedIn(node, ["statistics_focal_point"]);
    const opened = await focal.inject("POST", "/api/statistics/returns", { year: 2024 });
    expect(opened.statusCode, opened.body).toBe(201);
    for (const body of [{}, { recompute: false }]) {
      const res = await focal.inject("PATCH", `/api/statistics/returns/${opened.json().id}`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res)[0].path).toBe("body");
    }
  });
});

describe("field validation names the field and the reason", () => {
  it("wrong types", async () => {
    const res = await admin.inject("POST", "/api/users", {
      username: 42,
      displayName: ["x"],
      roles: "analyst",
    });
    expect(res.statusCode).toBe(400);
    const paths = fieldsOf(res).map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["body.username", "body.displayName", "body.roles"]));
  });

  it("unknown fields are rejected, not ignored", async () => {
    const res = await admin.inject("POST", "/api/users", validUser({ isSuperuser: true }));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual([{ path: "body.isSuperuser", message: "is not a known field" }]);
  });

  it("unknown roles", async () => {
    const res = await admin.inject("POST", "/api/users", validUser({ roles: ["analyst", "god"] }));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)[0].path).toBe("body.roles.1");
  });

  it("absurdly long strings", async () => {
    const res = await admin.inject("POST", "/api/users", validUser({ displayName: "é".repeat(5000) }));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)[0]).toEqual({ path: "body.displayName", message: "must be at most 200 characters" });
  });

  it("NUL characters and lone surrogates", async () => {
    const nul = await admin.inject("POST", "/api/users", validUser({ displayName: "a\u0000b" }));
    expect(fieldsOf(nul)[0]).toEqual({
      path: "body.displayName",
      message: "must not contain NUL characters",
    });
    const sur = await raw(JSON.stringify(validUser()).replace('"Synthetic Person"', '"bad \\ud800 text"'));
    expect(sur.statusCode).toBe(400);
    expect(fieldsOf(sur)[0].path).toBe("body.displayName");
  });

  it("bad query parameters and path parameters", async () => {
    const q = await admin.inject("GET", "/api/users?status=sleeping");
    expect(q.statusCode).toBe(400);
    expect(fieldsOf(q)[0].path).toBe("query.status");
    const p = await admin.inject("GET", "/api/users/not-a-uuid");
    expect(p.statusCode).toBe(400);
    expect(fieldsOf(p)[0]).toEqual({ path: "params.id", message: "must be a UUID" });
  });

  it("a weak password", async () => {
    const res = await admin.inject("POST", "/api/users", validUser({ password: "short" }));
    expect(fieldsOf(res)[0]).toEqual({ path: "body.password", message: "must be at least 12 characters" });
  });

  it("a duplicate username, and the first account is unharmed", async () => {
    const body = validUser();
    const first = await admin.inject("POST", "/api/users", body);
    expect(first.statusCode).toBe(201);
    const dup = await admin.inject("POST", "/api/users", { ...body, displayName: "Someone Else" });
    expect(dup.statusCode).toBe(409);
    expect(fieldsOf(dup)[0]).toEqual({ path: "body.username", message: "is already taken" });
    const kept = await admin.inject("GET", `/api/users/${first.json().user.id}`);
    expect(kept.json().displayName).toBe("Synthetic Person");
  });
});

describe("injection strings are stored and returned verbatim, harmlessly", () => {
  const nasty = [
    "'; DROP TABLE users; --",
    '<script>alert("x")</script>',
    "Robert'); DELETE FROM audit_log;--",
    "عبد الله بن محمد",
    "张伟 Zhāng Wěi",
    "Ольга Смирнова",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
    "👩‍⚖️ ${7*7} {{7*7}}",
  ];
  for (const name of nasty) {
    it(`display name ${JSON.stringify(name)}`, async () => {
      const res = await admin.inject("POST", "/api/users", validUser({ displayName: name }));
      expect(res.statusCode).toBe(201);
      const got = await admin.inject("GET", `/api/users/${res.json().user.id}`);
      expect(got.json().displayName).toBe(name);
      expect(got.headers["content-type"]).toMatch(/application\/json/);
    });
  }

  it("the tables survived", async () => {
    const list = await admin.inject("GET", "/api/users");
    expect(list.statusCode).toBe(200);
    expect(list.json().users.length).toBeGreaterThan(5);
  });

  it("a search term with LIKE wildcards matches literally", async () => {
    const res = await admin.inject("GET", `/api/users?q=${encodeURIComponent("%")}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().users).toHaveLength(0);
  });
});

describe("bidirectional control characters", () => {
  const RLO = "\u202e";
  it("are refused in names, titles and file names, naming the field; nothing is stored", async () => {
    const user = await raw(JSON.stringify(validUser({ displayName: `Ana ${RLO}nimda` })));
    expect(user.statusCode).toBe(400);
    expect(fieldsOf(user)[0]).toEqual({
      path: "body.displayName",
      message: "must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)",
    });

    const lead = await signedIn(node, ["investigator"]);
    const titled = await lead.inject("POST", "/api/cases", caseBody({ title: `Ransom ${RLO}fdp.exe` }));
    expect(titled.statusCode).toBe(400);
    expect(fieldsOf(titled)[0].path).toBe("body.title");
    expect((await lead.inject("GET", "/api/cases")).json().cases).toEqual([]);

    const c = await openCase(lead);
    for (const isolate of ["\u2066", "\u2069", "\u202a"]) {
      const person = await lead.inject(
        "POST",
        `/api/cases/${c.id}/persons`,
        personBody({ names: [{ given: `Teo${isolate}doro`, family: "Valdivia" }] }),
      );
      expect(person.statusCode, isolate.codePointAt(0)?.toString(16)).toBe(400);
      expect(fieldsOf(person)[0].path).toBe("body.names.0.given");
    }
    const file = await lead.inject(
      "POST",
      `/api/cases/${c.id}/attachments?filename=${encodeURIComponent(`${RLO}txt.exe`)}`,
      Buffer.from("synthetic"),
      { "content-type": "application/octet-stream" },
    );
    expect(file.statusCode).toBe(400);
    expect(fieldsOf(file)[0].path).toBe("query.filename");
    const records = (await lead.inject("GET", `/api/cases/${c.id}/records`)).json();
    expect(records.attachments).toEqual([]);
    expect((await lead.inject("GET", `/api/cases/${c.id}/persons`)).json().persons).toEqual([]);
    // Right-to-left text itself is welcome: a name in Arabic script is stored as typed.
    const arabic = await lead.inject(
      "POST",
      `/api/cases/${c.id}/persons`,
      personBody({ names: [{ given: "تيودورو", family: "فالديفيا", script: "arabic" }] }),
    );
    expect(arabic.statusCode, arabic.body).toBe(201);
  });
});
