/**
 * Federation fault tests (issue 4): nodes run as child processes (`ariadne serve --sandbox`) on
 * embedded databases on disk, so that SIGKILL is a real crash; they are driven over loopback HTTP
 * as their users would drive them; and a proxy the test controls stands in front of the receiving
 * node, to hold, drop or pass what the sender delivers.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import type { KeyObject } from "node:crypto";
import { createServer, type IncomingHttpHeaders, request, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { verifyDescriptor } from "../../src/engines/federation/descriptor.ts";
import { type Receipt, verifyReceipt } from "../../src/engines/federation/receipt.ts";

export const BIN = resolve(import.meta.dirname, "../../bin/ariadne.js");

/** `n` distinct ports free on loopback now (held together, so the OS cannot hand out one twice). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: NetServer[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createNetServer();
    servers.push(s);
    ports.push(
      await new Promise<number>((ok, fail) => {
        s.once("error", fail);
        s.listen(0, "127.0.0.1", () => {
          const a = s.address();
          ok(typeof a === "object" && a ? a.port : 0);
        });
      }),
    );
  }
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

/** Poll until `probe` gives a value (not undefined or false), or fail naming what was awaited. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 60_000,
  every = 100,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on a connection of its own (no pool: nodes die and come back on the same port). */
export function http(
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(opts.body !== undefined ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", fail);
        res.on("end", () =>
          ok({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer in time`)));
    req.on("error", fail);
    req.end(opts.body);
  });
}

const json = (a: Answer): unknown => JSON.parse(a.body);

export interface NodeOptions {
  nodeId: string;
  dataDir: string;
  port: number;
  /** The address its peers deliver to (its descriptor's endpoint): here, possibly a proxy's. */
  publicUrl: string;
  env?: Record<string, string>;
}

/** A node as a child process: `ariadne serve --sandbox` on an embedded database directory. */
export class NodeProcess {
  child: ChildProcess | undefined;
  /** The end of what the process wrote on stderr, for failure messages. */
  stderr = "";

  constructor(readonly opts: NodeOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.opts.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Start and wait until it answers `/ready`; fails early, with its stderr, if it exits instead. */
  async start(deadlineMs = 180_000): Promise<void> {
    if (this.running) throw new Error(`${this.opts.nodeId} is already running`);
    this.stderr = "";
    const child = spawn(process.execPath, [BIN, "serve", "--sandbox", "--port", String(this.opts.port)], {
      env: {
        ...process.env,
        ARIADNE_DATA_DIR: this.opts.dataDir,
        ARIADNE_NODE_ID: this.opts.nodeId,
        ARIADNE_NODE_NAME: `${this.opts.nodeId} (fault test)`,
        ARIADNE_PUBLIC_URL: this.opts.publicUrl,
        // The key that seals secrets at rest lives beside the data (sandbox), not in this environment.
        ARIADNE_SECRET_KEY: "",
        DATABASE_URL: "",
        LOG_LEVEL: "silent",
        ...this.opts.env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child = child;
    child.stderr?.on("data", (c: Buffer) => {
      this.stderr = (this.stderr + c.toString("utf8")).slice(-4000);
    });
    const end = Date.now() + deadlineMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${this.opts.nodeId} exited (${child.exitCode ?? child.signalCode}) before it was ready: ${this.stderr}`,
        );
      }
      const ready = await http("GET", `${this.url}/ready`, { timeoutMs: 5000 }).catch(() => undefined);
      if (ready?.status === 200) return;
      if (Date.now() > end) {
        child.kill("SIGKILL");
        throw new Error(`${this.opts.nodeId} not ready after ${deadlineMs} ms: ${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  exited(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((ok) => c.once("exit", () => ok()));
  }

  /** A crash: no shutdown hook runs, nothing is flushed or sealed. */
  async kill(): Promise<void> {
    this.child?.kill("SIGKILL");
    await this.exited();
  }

  /** A clean stop (SIGTERM): the node closes its database and releases its lock. */
  async stop(deadlineMs = 60_000): Promise<void> {
    if (!this.running) return;
    this.child?.kill("SIGTERM");
    const late = setTimeout(() => this.child?.kill("SIGKILL"), deadlineMs);
    await this.exited();
    clearTimeout(late);
    if (this.child?.signalCode === "SIGKILL") throw new Error(`${this.opts.nodeId} did not stop on SIGTERM`);
  }
}

/** The node's CLI on a stopped node's database (an embedded database is one process's at a time). */
export async function cli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], {
    env: { ...process.env, ARIADNE_SECRET_KEY: "", DATABASE_URL: "", LOG_LEVEL: "silent" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** A signed-in user of a node over HTTP: session cookie and CSRF token. Sessions outlive restarts. */
export class Session {
  constructor(
    readonly node: NodeProcess,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    const a = await http("GET", `${this.node.url}${path}`, { headers: { cookie: this.cookie } });
    if (a.status !== 200) throw new Error(`GET ${path}: ${a.status} ${a.body}`);
    return json(a) as T;
  }

  async post<T>(path: string, body: unknown, expected = 200): Promise<T> {
    const a = await http("POST", `${this.node.url}${path}`, {
      headers: { cookie: this.cookie, "x-csrf-token": this.csrf, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (a.status !== expected) throw new Error(`POST ${path}: ${a.status} ${a.body}`);
    return json(a) as T;
  }
}

function sessionCookie(a: Answer): string {
  const set = ([] as string[]).concat(a.headers["set-cookie"] ?? []);
  const c = set.map((s) => s.split(";")[0] ?? "").find((s) => s.startsWith("ariadne_session="));
  if (!c) throw new Error(`no session cookie (${a.status}): ${a.body}`);
  return c;
}

/** Sign in as a sandbox demo user: password, then the second-factor code the sandbox shows. */
export async function signIn(node: NodeProcess, username: string): Promise<Session> {
  const logins = (
    json(await http("GET", `${node.url}/api/sandbox/logins`)) as {
      logins: { username: string; password: string; totpCode: string }[];
    }
  ).logins;
  const me = logins.find((l) => l.username === username);
  if (!me) throw new Error(`no sandbox user ${username} on ${node.opts.nodeId}`);
  const login = await http("POST", `${node.url}/api/auth/login`, {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: me.password }),
  });
  if (login.status !== 200) throw new Error(`login of ${username}: ${login.status} ${login.body}`);
  const { csrfToken } = json(login) as { csrfToken: string };
  const totp = await http("POST", `${node.url}/api/auth/totp`, {
    headers: { cookie: sessionCookie(login), "x-csrf-token": csrfToken, "content-type": "application/json" },
    body: JSON.stringify({ code: me.totpCode }),
  });
  if (totp.status !== 200) throw new Error(`second factor of ${username}: ${totp.status} ${totp.body}`);
  return new Session(node, sessionCookie(totp), (json(totp) as { csrfToken: string }).csrfToken);
}

export interface PublicDescriptor {
  nodeId: string;
  descriptor: string;
  fingerprints: { signing: string; encryption: string };
}

export async function descriptorOf(node: NodeProcess): Promise<PublicDescriptor> {
  const a = await http("GET", `${node.url}/api/federation/descriptor`);
  if (a.status !== 200) throw new Error(`descriptor of ${node.opts.nodeId}: ${a.status} ${a.body}`);
  return json(a) as PublicDescriptor;
}

/** An administrator imports the other node's descriptor and approves it with its fingerprint. */
export async function addPeer(admin: Session, other: NodeProcess): Promise<PublicDescriptor> {
  const d = await descriptorOf(other);
  await admin.post("/api/federation/peers", { descriptor: d.descriptor });
  const p = await admin.post<{ status: string }>(`/api/federation/peers/${d.nodeId}/approve`, {
    signingFingerprint: d.fingerprints.signing,
  });
  if (p.status !== "active") throw new Error(`peer ${d.nodeId} is ${p.status} after approval`);
  return d;
}

/** Checks receipts from a node with the signing key its descriptor names. */
export async function receiptChecker(d: PublicDescriptor, to: string) {
  const v = await verifyDescriptor(d.descriptor);
  const key: KeyObject = v.signingKey;
  return (token: string, jti: string): Receipt =>
    verifyReceipt(token, {
      from: d.nodeId,
      to,
      jti,
      keyOf: (kid) => (kid === v.signingKid ? key : undefined),
    });
}

/** One envelope that went through the proxy to the node behind it, and what came back for it. */
export interface Passage {
  /** The message id, read from the envelope's protected header. */
  jti: string;
  /** The node's HTTP status; 0 when it could not be reached (the sender got a 502 without a receipt). */
  status: number;
  receipt: string | undefined;
  /** The receipt's payload (not yet verified: see receiptChecker). */
  payload: Partial<Receipt> | undefined;
  /** Whether the sender was still connected to hear the answer. */
  answered: boolean;
}

/** A request that reached the proxy: one envelope (application/jose) or a batch (application/json). */
interface Held {
  jtis: string[];
  url: string;
  contentType: string;
  body: string;
  res: ServerResponse;
}

const jtiOf = (token: string): string => {
  try {
    const h = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as {
      jti?: unknown;
    };
    return typeof h.jti === "string" ? h.jti : "";
  } catch {
    return "";
  }
};

/** The message ids a request carries, in order. */
function jtisOf(contentType: string, body: string): string[] {
  if (!contentType.startsWith("application/json")) return [jtiOf(body.trim())];
  try {
    const list = (JSON.parse(body) as { envelopes?: unknown }).envelopes;
    return Array.isArray(list) ? list.map((t) => (typeof t === "string" ? jtiOf(t.trim()) : "")) : [];
  } catch {
    return [];
  }
}

/** The receipts of an answer, one per envelope of the request (`{receipt}` or `{receipts: [...]}`). */
function receiptsOf(text: string, n: number): (string | undefined)[] {
  let answer: { receipt?: unknown; receipts?: unknown } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not JSON: no receipts
  }
  const list = Array.isArray(answer.receipts) ? answer.receipts : [answer.receipt];
  return Array.from({ length: n }, (_, i) => (typeof list[i] === "string" ? (list[i] as string) : undefined));
}

function payloadOf(receipt: string | undefined): Partial<Receipt> | undefined {
  try {
    return receipt
      ? (JSON.parse(Buffer.from(receipt.split(".")[1] ?? "", "base64url").toString("utf8")) as Receipt)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A loopback HTTP proxy in front of a node. "pass" forwards each request and its answer; "hold"
 * keeps requests unanswered (the sender waits, as for a slow network) until they are forwarded or
 * dropped. It records the node's answer for every envelope, in order (a batch request counts
 * once per envelope it carries).
 */
export class HoldingProxy {
  private server: Server | undefined;
  mode: "pass" | "hold" = "pass";
  held: Held[] = [];
  passages: Passage[] = [];
  /** Requests forwarded to the node and not answered yet. */
  inFlight = 0;
  /** Called when a request has just been forwarded, and when the node's answer to one is in (before the sender gets it). */
  onChange: (() => void) | undefined;

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The message ids held now. */
  get heldIds(): string[] {
    return this.held.flatMap((h) => h.jtis);
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        try {
          for await (const c of req) chunks.push(c as Buffer);
        } catch {
          return; // the sender went away while sending
        }
        const body = Buffer.concat(chunks).toString("utf8");
        const contentType = req.headers["content-type"] ?? "application/jose";
        const h: Held = { jtis: jtisOf(contentType, body), url: req.url ?? "/", contentType, body, res };
        if (this.mode === "hold") this.held.push(h);
        else await this.pass(h);
      })();
    });
    this.server = server;
    await new Promise<void>((ok) => server.listen(this.port, "127.0.0.1", ok));
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const h of this.held.splice(0)) h.res.destroy();
    s.closeAllConnections();
    await new Promise((ok) => s.close(ok));
  }

  hold(): void {
    this.mode = "hold";
  }

  /** Pass from now on, and forward everything held (resolves when the node has answered them all). */
  async open(): Promise<void> {
    this.mode = "pass";
    await Promise.all(this.held.splice(0).map((h) => this.pass(h)));
  }

  /** Forward the first `n` held requests to the node (whether or not their sender is still there). */
  async forwardHeld(n: number): Promise<Passage[]> {
    return (await Promise.all(this.held.splice(0, n).map((h) => this.pass(h)))).flat();
  }

  /** Drop what is held: the node never sees it. */
  dropHeld(): string[] {
    const dropped = this.held.splice(0);
    for (const h of dropped) h.res.destroy();
    return dropped.flatMap((h) => h.jtis);
  }

  private async pass(h: Held): Promise<Passage[]> {
    let status = 0;
    let text = "";
    const forwarded = http("POST", `http://127.0.0.1:${this.target}${h.url}`, {
      headers: { "content-type": h.contentType },
      body: h.body,
      timeoutMs: 60_000,
    });
    this.inFlight++;
    this.onChange?.();
    try {
      const a = await forwarded;
      status = a.status;
      text = a.body;
    } catch {
      // the node is down (or died while answering): the sender gets no receipt
    } finally {
      this.inFlight--;
    }
    const answered = !h.res.destroyed && !h.res.socket?.destroyed;
    const receipts = receiptsOf(text, h.jtis.length);
    const passages = h.jtis.map(
      (jti, i): Passage => ({
        jti,
        status,
        receipt: receipts[i],
        payload: payloadOf(receipts[i]),
        answered,
      }),
    );
    this.passages.push(...passages);
    this.onChange?.();
    if (answered) {
      try {
        if (status === 0) {
          h.res.writeHead(502, { "content-type": "application/json" });
          h.res.end(JSON.stringify({ error: { code: "bad_gateway", message: "proxy: the node is down" } }));
        } else {
          h.res.writeHead(status, { "content-type": "application/json" });
          h.res.end(text);
        }
      } catch {
        // the sender went away meanwhile
      }
    }
    return passages;
  }
}
