/**
 * The sandbox federation (what `npm start` runs): the Secretariat and three national
 * nodes in one process, on consecutive loopback ports, each with its own embedded
 * database, key, demo users and demo cases, and peered with one another through the
 * same use cases an administrator uses (import the signed descriptor, approve it with
 * the fingerprint). Every step is idempotent: a second start opens, listens and finds
 * the peering as it was.
 *
 * The nodes talk plain HTTP to each other on loopback, which only the sandbox does;
 * production nodes exchange over HTTPS.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { newTotpSecret } from "../platform/auth/crypto.ts";
import { type Config, ConfigError, loadConfig } from "../platform/config.ts";
import { openDatabase } from "../platform/db/index.ts";
import { approvePeer, importPeer, listPeers, nodeDescriptor } from "../platform/exchange/peers.ts";
import { isFreshEmbedded, listenNode, type OpenNode, openNode, type RunningNode } from "./node.ts";
import { DEMO_PASSWORD, DEMO_USERS, type DemoLogin, demoLogins, seedSandbox } from "./sandbox.ts";

export interface SandboxNodeSpec {
  nodeId: string;
  name: string;
  /** Demo cases on the first start (the Secretariat holds no cases). */
  cases: number;
  /** Seed of the demo cases: each node has its own. */
  seed: number;
}

/** In the order of their ports: COL keeps the first, where the single sandbox node always was (and `npm run dev:web` proxies). */
export const SANDBOX_NODES: readonly SandboxNodeSpec[] = [
  { nodeId: "COL", name: "Sandbox — Colombia", cases: 30, seed: 1 },
  { nodeId: "MEX", name: "Sandbox — Mexico", cases: 30, seed: 2 },
  { nodeId: "ESP", name: "Sandbox — Spain", cases: 30, seed: 3 },
  { nodeId: "UNODC", name: "Sandbox — UNODC Secretariat", cases: 0, seed: 0 },
];

/** Settings that differ per node: the sandbox sets them, whatever the environment says. */
const PER_NODE = [
  "ARIADNE_MODE",
  "ARIADNE_NODE_ID",
  "ARIADNE_NODE_NAME",
  "ARIADNE_DATA_DIR",
  "ARIADNE_PUBLIC_URL",
  "ARIADNE_SECRET_KEY",
  "DATABASE_URL",
  "HOST",
  "PORT",
] as const;

export interface SandboxOptions {
  /** Each node keeps its database in `<baseDir>/<node id in lower case>` (and its key beside it). Default `./data`. */
  baseDir?: string;
  /** The first node listens on this port, the others on the next ones. Default 3000. */
  basePort?: number;
  /** Loopback (`127.0.0.1`, `::1`, `localhost`) or a wildcard (`0.0.0.0`, `::`). Default `127.0.0.1`. */
  host?: string;
  /** Further settings shared by every node (LOG_LEVEL, ARIADNE_FEDERATION_…); the per-node ones are ignored. */
  env?: Record<string, string | undefined>;
  /** The nodes (default: COL, MEX, ESP, UNODC). */
  nodes?: readonly SandboxNodeSpec[];
  /** Override the number of demo cases of every national node (tests). */
  casesPerNode?: number;
  /**
   * A directory holding a migrated, empty database (see `sandboxTemplate`), copied into
   * each node that has no database yet; kept. Without it, one is made in a temporary
   * directory when a node needs it, and removed.
   */
  templateDir?: string;
}

export interface SandboxNodeInfo {
  nodeId: string;
  name: string;
  /** The address the node is reached at, and names in its descriptor. */
  url: string;
  dir: string;
  /** Whether this start created the node's database. */
  fresh: boolean;
  cases: number;
}

export interface PeeringReport {
  /** Links (one node → another) already active with the current keys and address: left alone. */
  unchanged: number;
  /** Links imported and/or approved at this start (a new node, new keys, a new address). */
  changed: string[];
  /** Links left as an administrator set them (a suspended peer), or that failed. */
  notes: string[];
}

export interface RunningSandbox {
  nodes: RunningNode[];
  info: SandboxNodeInfo[];
  /** The demo logins; their second-factor secrets are the same on every node (see `secretsDiffer`). */
  logins: DemoLogin[];
  /** Nodes on which some demo user has another second-factor secret than `logins` says. */
  secretsDiffer: string[];
  peering: PeeringReport;
  startupMs: number;
  /** Milliseconds spent in each phase of the start: open, seed, listen, peer. */
  phases: Record<string, number>;
  close(): Promise<void>;
}

/** The address peers use for a node listening on `host`: always loopback. */
function loopbackUrl(host: string, port: number): string {
  if (host === "127.0.0.1" || host === "0.0.0.0") return `http://127.0.0.1:${port}`;
  if (host === "::1" || host === "::") return `http://[::1]:${port}`;
  if (host === "localhost") return `http://localhost:${port}`;
  throw new ConfigError([
    `HOST ${host}: the sandbox's nodes talk plain HTTP to each other, which is allowed on loopback only; use 127.0.0.1 (the default), ::1, localhost, or 0.0.0.0 to be reachable from elsewhere`,
  ]);
}

export function sandboxConfigs(opts: SandboxOptions = {}): Config[] {
  const specs = opts.nodes ?? SANDBOX_NODES;
  const basePort = opts.basePort ?? 3000;
  const host = opts.host || "127.0.0.1";
  const last = 65535 - specs.length + 1;
  if (!Number.isInteger(basePort) || basePort < 1 || basePort > last) {
    throw new ConfigError([
      `PORT must be a whole number from 1 to ${last}: the sandbox listens on it and the next ${specs.length - 1} ports`,
    ]);
  }
  const shared = { ...opts.env };
  for (const k of PER_NODE) delete shared[k];
  return specs.map((spec, i) => {
    const port = basePort + i;
    return loadConfig({
      LOG_LEVEL: "warn",
      ...shared,
      ARIADNE_MODE: "sandbox",
      ARIADNE_NODE_ID: spec.nodeId,
      ARIADNE_NODE_NAME: spec.name,
      ARIADNE_DATA_DIR: join(opts.baseDir ?? "./data", spec.nodeId.toLowerCase()),
      HOST: host,
      PORT: String(port),
      ARIADNE_PUBLIC_URL: loopbackUrl(host, port),
    });
  });
}

/** Shared buffers of each sandbox node's embedded database (set in the template, so in every node made from it). */
export const SANDBOX_SHARED_BUFFERS = "16MB";

/**
 * Create a migrated, empty database cluster in `dir` (which must not hold one). Creating
 * a cluster (initdb) is the slowest part of a first start: the sandbox creates one and
 * copies its files into each new node, a cold copy of a cluster that was shut down
 * cleanly, as PostgreSQL allows.
 */
export async function sandboxTemplate(dir: string): Promise<void> {
  const db = await openDatabase({ kind: "pglite", dir }, { asOwner: true });
  try {
    // PostgreSQL's default shared buffers (128 MB) cost each embedded node that much memory,
    // zeroed at every start, for demo data of a few megabytes.
    await db.pglite?.exec(`ALTER SYSTEM SET shared_buffers = '${SANDBOX_SHARED_BUFFERS}'`);
  } finally {
    await db.close();
  }
}

/** Remove what an interrupted copy into `dir` left (its process is gone). */
function removeStaleCopies(dir: string) {
  const parent = dirname(resolve(dir));
  const prefix = `${basename(resolve(dir))}.copying-`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (!alive) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Copy the template into the fresh nodes' directories: made in a temporary directory unless given. */
async function createFromTemplate(dirs: string[], templateDir: string | undefined): Promise<void> {
  if (dirs.length === 0) return;
  const own = templateDir ? undefined : mkdtempSync(join(tmpdir(), "ariadne-sandbox-template-"));
  try {
    const source = templateDir ?? join(own ?? "", "db");
    if (own) await sandboxTemplate(source);
    for (const dir of dirs) {
      if (existsSync(dir) && readdirSync(dir).length > 0) {
        throw new Error(`${dir} is not empty but holds no database; move it away, or choose another --dir`);
      }
      // Copied beside, then renamed: an interrupted copy never looks like a database.
      const partial = `${resolve(dir)}.copying-${process.pid}`;
      mkdirSync(dirname(partial), { recursive: true });
      removeStaleCopies(dir);
      cpSync(source, partial, { recursive: true });
      rmSync(dir, { recursive: true, force: true });
      renameSync(partial, dir);
    }
  } finally {
    if (own) rmSync(own, { recursive: true, force: true });
  }
}

/** Close what opened, then report the first failure. */
async function settle<T extends { close(): Promise<void> }>(
  results: PromiseSettledResult<T>[],
): Promise<T[]> {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<T>).value);
  await Promise.allSettled(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.close()] : [])));
  throw failed.reason;
}

/** The same second-factor secret for a demo user on every node: one authenticator entry serves all of them. */
async function sharedSecrets(nodes: OpenNode[]): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  for (const node of nodes) {
    for (const l of await demoLogins({ db: node.db.kysely, box: node.box })) {
      if (!secrets.has(l.username)) secrets.set(l.username, l.totpSecret);
    }
  }
  for (const { username } of DEMO_USERS) {
    if (!secrets.has(username)) secrets.set(username, newTotpSecret());
  }
  return secrets;
}

/**
 * Peer every node with every other, both ways, through the use cases an administrator
 * uses: import the other's signed descriptor, approve it with its signing fingerprint.
 * A link already active with the same keys and address is left alone; a peer whose keys
 * changed (its data was deleted) is imported and approved again; a suspended peer stays
 * suspended.
 */
export async function peerSandbox(nodes: RunningNode[]): Promise<PeeringReport> {
  const ctxs = nodes.map((n) => n.systemCtx("sandbox"));
  const descriptors = await Promise.all(ctxs.map((ctx) => nodeDescriptor(ctx)));
  const report: PeeringReport = { unchanged: 0, changed: [], notes: [] };
  await Promise.all(
    nodes.map(async (node, i) => {
      const ctx = ctxs[i];
      if (!ctx) return;
      const known = new Map((await listPeers(ctx)).map((p) => [p.nodeId, p]));
      for (const [j, other] of nodes.entries()) {
        const d = descriptors[j];
        if (j === i || !d) continue;
        const link = `${node.config.nodeId} → ${d.nodeId}`;
        const endpoint = other.config.publicUrl ?? other.url;
        const before = known.get(d.nodeId);
        const current =
          before !== undefined &&
          before.endpoint === endpoint &&
          before.fingerprints.signing === d.fingerprints.signing &&
          before.fingerprints.encryption === d.fingerprints.encryption;
        if (current && before.status === "active") {
          report.unchanged++;
          continue;
        }
        try {
          let peer = current ? before : await importPeer(ctx, { descriptor: d.descriptor });
          if (peer.status === "pending") {
            peer = await approvePeer(ctx, d.nodeId, { signingFingerprint: d.fingerprints.signing });
          }
          if (peer.status === "active") report.changed.push(link);
          else report.notes.push(`${link}: ${peer.status}, left as an administrator set it`);
        } catch (e) {
          report.notes.push(`${link}: not peered: ${(e as Error).message}`);
        }
      }
    }),
  );
  report.changed.sort();
  report.notes.sort();
  return report;
}

/** Start the sandbox federation; `close()` stops every node. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - mark);
    mark = now;
  };
  const specs = opts.nodes ?? SANDBOX_NODES;
  const configs = sandboxConfigs(opts);
  const fresh = configs.map(isFreshEmbedded);
  // One cluster is created, and copied into each node that has no database yet.
  await createFromTemplate(
    configs.flatMap((c, i) => (fresh[i] && c.database.kind === "pglite" ? [c.database.dir] : [])),
    opts.templateDir,
  );
  phase("template");
  const opened = await settle(await Promise.allSettled(configs.map((config) => openNode(config))));
  phase("open");

  try {
    const secrets = await sharedSecrets(opened);
    await Promise.all(
      opened.map((node, i) =>
        seedSandbox(node.systemCtx("sandbox"), {
          cases: specs[i]?.cases ? (opts.casesPerNode ?? specs[i]?.cases ?? 0) : 0,
          seed: specs[i]?.seed ?? i,
          totpSecrets: secrets,
          // MEX's first case holds COL's first suspect, misspelt: asking MEX from COL's first case hits.
          shareSuspectOf:
            specs[i]?.nodeId === "MEX" ? { nodeId: "COL", seed: specs[0]?.seed ?? 1 } : undefined,
        }),
      ),
    );
  } catch (e) {
    await Promise.allSettled(opened.map((n) => n.close()));
    throw e;
  }
  phase("seed");
  const running = await settle(await Promise.allSettled(opened.map((node) => listenNode(node))));
  phase("listen");

  const close = async () => {
    const results = await Promise.allSettled(running.map((n) => n.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  };
  try {
    const peering = await peerSandbox(running);
    phase("peer");
    const perNode = await Promise.all(
      running.map(async (n) => ({
        logins: await demoLogins({ db: n.db.kysely, box: n.box }),
        cases: Number(
          (
            await n.db.kysely
              .selectFrom("cases")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      })),
    );
    const logins = perNode[0]?.logins ?? [];
    const secretOf = new Map(logins.map((l) => [l.username, l.totpSecret]));
    const secretsDiffer = running
      .filter((_, i) => (perNode[i]?.logins ?? []).some((l) => secretOf.get(l.username) !== l.totpSecret))
      .map((n) => n.config.nodeId);
    const info = running.map((n, i) => ({
      nodeId: n.config.nodeId,
      name: n.config.nodeName,
      url: n.config.publicUrl ?? n.url,
      dir: configs[i]?.database.kind === "pglite" ? configs[i].database.dir : "",
      fresh: fresh[i] ?? false,
      cases: perNode[i]?.cases ?? 0,
    }));
    return {
      nodes: running,
      info,
      logins,
      secretsDiffer,
      peering,
      startupMs: Math.round(performance.now() - started),
      phases,
      close,
    };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}

const WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const count = (n: number) => WORDS[n] ?? String(n);

/** What `npm start` prints: the nodes, the federation, the warning about HTTP, the logins. */
export function sandboxBanner(s: RunningSandbox, opts: { baseDir?: string } = {}): string {
  const created = s.info.filter((n) => n.fresh).length;
  const nameWidth = Math.max(...s.info.map((n) => n.name.length));
  const urlWidth = Math.max(...s.info.map((n) => n.url.length + 1));
  const links = s.info.length * (s.info.length - 1);
  const active = s.peering.unchanged + s.peering.changed.length;
  const dir = opts.baseDir ?? "./data";
  const updated = s.peering.changed.length;
  const lines = [
    "",
    `  Ariadne sandbox: the Secretariat and national nodes of the federation, ready in ${(s.startupMs / 1000).toFixed(1)} s`,
    "",
    ...s.info.map(
      (n) =>
        `    ${n.nodeId.padEnd(6)} ${n.name.padEnd(nameWidth)}   ${`${n.url}/`.padEnd(urlWidth)}   ${
          n.cases ? `${n.cases} demo cases` : "no cases"
        }${n.fresh ? " (new)" : ""}`,
    ),
    "",
    active === links
      ? `  Peered: every node has the other ${count(s.info.length - 1)} as active peers${
          updated ? ` (${updated} of ${links} links imported or updated at this start)` : ""
        }.`
      : `  Peered: ${active} of ${links} links are active:`,
    ...s.peering.notes.map((n) => `    ${n}`),
    `  API docs: <node URL>/api/docs. Data: ${dir}, a directory per node${
      created ? "" : `; stop and delete ${dir} to start afresh`
    }.`,
    "",
    "  WARNING: the nodes talk to each other in plain HTTP on loopback, which only the sandbox",
    "  allows. Production nodes exchange over HTTPS.",
    "",
    `  SANDBOX: synthetic data only. The same demo users on every node, password ${DEMO_PASSWORD};`,
    "  each node's login page shows their current second-factor codes.",
    "",
    "    username                 role                     TOTP secret (the same on every node)",
    ...s.logins.map((l) => `    ${l.username.padEnd(24)} ${l.role.padEnd(24)} ${l.totpSecret}`),
  ];
  if (s.secretsDiffer.length) {
    lines.push(
      `  On ${s.secretsDiffer.join(", ")} some demo users have other secrets (made earlier): the login page shows their codes.`,
    );
  }
  return `${lines.join("\n")}\n\n`;
}
