/**
 * Configuration, parsed once at start-up with a schema. The process refuses to
 * start on bad configuration and says which variable is wrong and why.
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { createSecureContext } from "node:tls";
import { z } from "zod";

const bool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes"),
]);

/** A PEM file, read once at start-up: its contents, or an issue that names the file and the reason. */
const pemFile = z.string().transform((path, ctx) => {
  try {
    const pem = readFileSync(path);
    if (!pem.toString("latin1").includes("-----BEGIN ")) {
      ctx.addIssue({ code: "custom", message: `${path} is not a PEM file` });
      return z.NEVER;
    }
    return pem;
  } catch (e) {
    ctx.addIssue({
      code: "custom",
      message: `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`,
    });
    return z.NEVER;
  }
});

/** The address sets proxy-addr (Fastify's trustProxy) knows by name. */
const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"] as const;
/** What `ARIADNE_TRUST_PROXY=true` meant before a list could be given: a proxy on this machine. */
const TRUST_PROXY_TRUE = ["loopback"];

/** One trusted proxy: an IPv4 or IPv6 address, a CIDR block, or one of PROXY_NAMES. */
function proxyIssue(entry: string): string | null {
  if ((PROXY_NAMES as readonly string[]).includes(entry)) return null;
  const [address = "", prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (!family || extra !== undefined)
    return `"${entry}" is not an IP address, a CIDR block (10.0.0.0/8) or one of ${PROXY_NAMES.join(", ")}`;
  if (prefix === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)
    return `"${entry}" has a prefix length that is not 0 to ${max}`;
  return null;
}

/**
 * `ARIADNE_TRUST_PROXY`: the reverse proxies whose X-Forwarded-For is believed, as a
 * comma-separated list of addresses and CIDR blocks; `false` (or empty) none; `true`
 * the proxy on this machine (loopback), which is what it meant before lists.
 */
const trustProxy = z.union([z.boolean(), z.string()]).transform((given, ctx): string[] => {
  if (typeof given === "boolean") return given ? TRUST_PROXY_TRUE : [];
  const v = given.trim().toLowerCase();
  if (["false", "0", "no", ""].includes(v)) return [];
  if (["true", "1", "yes"].includes(v)) return TRUST_PROXY_TRUE;
  const entries = given
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const issue = proxyIssue(entry);
    if (issue) {
      ctx.addIssue({ code: "custom", message: `${issue} (give a comma-separated list, or false)` });
      return z.NEVER;
    }
  }
  return entries;
});

const HIT_ANSWER_TYPES = ["phone", "iban", "bic", "wallet", "document", "plate", "email", "person"] as const;

const nodeId = z.string().regex(/^([A-Z]{3}|UNODC)$/, "must be an ISO 3166-1 alpha-3 code or UNODC");

const baseSchema = z.object({
  ARIADNE_MODE: z.enum(["production", "sandbox"]).default("production"),
  ARIADNE_NODE_ID: nodeId.optional(),
  ARIADNE_NODE_NAME: z.string().min(1).max(200).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ARIADNE_PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  ARIADNE_DATA_DIR: z.string().min(1).default("./data/node"),
  ARIADNE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(16),
  ARIADNE_SECRET_KEY: z
    .string()
    .refine((s) => Buffer.from(s, "base64").length === 32, "must be 32 bytes, base64-encoded")
    .optional(),
  ARIADNE_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  ARIADNE_SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(12),
  ARIADNE_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  ARIADNE_LOCKOUT_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  ARIADNE_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(30),
  /** Sign-in requests per minute from one address whatever the usernames (default: ten times the above). */
  ARIADNE_AUTH_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Failed sign-ins per hour for one username from everywhere but its known devices. */
  ARIADNE_LOGIN_ACCOUNT_FAILURES_PER_HOUR: z.coerce.number().int().min(10).max(100_000).default(100),
  ARIADNE_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Largest attachment a case accepts (content is kept in the database). */
  ARIADNE_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  /** Counts in the anonymised statistical view below this are withheld (1 shows every count). */
  ARIADNE_STATS_MIN_CELL: z.coerce.number().int().min(1).max(100).default(3),
  /** Integrity at start: the newest audit entries verified before the node serves (the rest in the background). */
  ARIADNE_INTEGRITY_RECENT_ENTRIES: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  /** Integrity: minutes between full verifications of every chain and hash while running (0: at start and on demand only). */
  ARIADNE_INTEGRITY_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(360),
  /** Federation: the clock difference tolerated with a peer, a message's lifetime, when it goes to the dead letters. */
  ARIADNE_FEDERATION_MAX_SKEW_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  ARIADNE_FEDERATION_MESSAGE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  ARIADNE_FEDERATION_DEAD_LETTER_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(60 * 24 * 30)
    .default(24 * 60),
  ARIADNE_FEDERATION_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  ARIADNE_FEDERATION_KEY_OVERLAP_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(24 * 90)
    .default(72),
  ARIADNE_FEDERATION_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .max(16 * 1024 * 1024)
    .default(512 * 1024),
  ARIADNE_TRUST_PROXY: trustProxy.default([]),
  /** Hit/no-hit: queries answered per asking peer per hour, asked per user per hour, and what is answered. */
  ARIADNE_HITS_PEER_QUERIES_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ARIADNE_HITS_USER_QUERIES_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(120),
  ARIADNE_HITS_ANSWER: z
    .string()
    .default("phone,iban,bic,wallet,document,plate,email,person")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(HIT_ANSWER_TYPES))),
  /** Per asking peer, what is answered instead (`MEX=phone,person;ESP=person`); others follow ARIADNE_HITS_ANSWER. */
  ARIADNE_HITS_ANSWER_PEERS: z
    .string()
    .default("")
    .transform((s, ctx) => {
      const out: Record<string, string[]> = {};
      for (const part of s
        .split(";")
        .map((x) => x.trim())
        .filter(Boolean)) {
        const m = /^([A-Z]{3}|UNODC)=([a-z,]*)$/.exec(part);
        if (!m) {
          ctx.addIssue({
            code: "custom",
            message: `"${part}" is not NODE=type,type (e.g. MEX=phone,person)`,
          });
          return z.NEVER;
        }
        const types = (m[2] ?? "").split(",").filter(Boolean);
        const unknown = types.find((t) => !HIT_ANSWER_TYPES.includes(t as (typeof HIT_ANSWER_TYPES)[number]));
        if (unknown) {
          ctx.addIssue({
            code: "custom",
            message: `"${unknown}" is not an item type (${HIT_ANSWER_TYPES.join(", ")})`,
          });
          return z.NEVER;
        }
        out[m[1] as string] = types;
      }
      return out;
    }),
  /** Dice similarity from which a person counts as a hit. */
  ARIADNE_HITS_PERSON_THRESHOLD: z.coerce.number().min(0.5).max(1).default(0.7),
  /** Serve HTTPS directly (PEM files); without them the node sits behind a TLS-terminating proxy. */
  ARIADNE_TLS_CERT: pemFile.optional(),
  ARIADNE_TLS_KEY: pemFile.optional(),
  /** CAs whose client certificates peers must present to deliver envelopes (mutual TLS). */
  ARIADNE_TLS_CLIENT_CA: pemFile.optional(),
  /** The certificate this node presents to peers that require mutual TLS. */
  ARIADNE_FEDERATION_CLIENT_CERT: pemFile.optional(),
  ARIADNE_FEDERATION_CLIENT_KEY: pemFile.optional(),
  /** CAs trusted for peers' server certificates besides the system's (a federation's own PKI). */
  ARIADNE_FEDERATION_CA: pemFile.optional(),
  /** Reach peers on this machine over plain HTTP outside the sandbox (tests and benchmarks on loopback). */
  ARIADNE_FEDERATION_PLAIN_LOOPBACK: bool.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Both halves of a certificate and key pair, or neither; and they must belong together. */
function pairIssues(c: Record<string, unknown>, certVar: string, keyVar: string, ctx: z.RefinementCtx): void {
  const cert = c[certVar] as Buffer | undefined;
  const key = c[keyVar] as Buffer | undefined;
  if (!cert !== !key) {
    const missing = cert ? keyVar : certVar;
    ctx.addIssue({ code: "custom", path: [missing], message: `is required with ${cert ? certVar : keyVar}` });
    return;
  }
  if (!cert || !key) return;
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    ctx.addIssue({
      code: "custom",
      path: [keyVar],
      message: `does not fit ${certVar}: ${(e as Error).message}`,
    });
  }
}

export const configSchema = baseSchema.superRefine((c, ctx) => {
  pairIssues(c, "ARIADNE_TLS_CERT", "ARIADNE_TLS_KEY", ctx);
  pairIssues(c, "ARIADNE_FEDERATION_CLIENT_CERT", "ARIADNE_FEDERATION_CLIENT_KEY", ctx);
  if (c.ARIADNE_TLS_CLIENT_CA && !c.ARIADNE_TLS_CERT)
    ctx.addIssue({
      code: "custom",
      path: ["ARIADNE_TLS_CLIENT_CA"],
      message:
        "needs ARIADNE_TLS_CERT and ARIADNE_TLS_KEY: client certificates are asked for by a node that serves HTTPS itself",
    });
  if (c.ARIADNE_MODE === "production") {
    if (!c.ARIADNE_NODE_ID)
      ctx.addIssue({ code: "custom", path: ["ARIADNE_NODE_ID"], message: "is required in production" });
    if (!c.ARIADNE_SECRET_KEY)
      ctx.addIssue({
        code: "custom",
        path: ["ARIADNE_SECRET_KEY"],
        message: "is required in production (32 random bytes, base64: `openssl rand -base64 32`)",
      });
  }
});

export type RawConfig = z.infer<typeof configSchema>;
/** Settings as they are given (environment strings, or values in tests): what `loadConfig` parses. */
export type ConfigInput = Partial<z.input<typeof configSchema>>;

export interface Config {
  mode: "production" | "sandbox";
  nodeId: string;
  nodeName: string;
  host: string;
  port: number;
  publicUrl: string | undefined;
  /** Secure cookies whenever the node is reached over HTTPS. */
  secureCookies: boolean;
  database: { kind: "postgres"; url: string; poolSize: number } | { kind: "pglite"; dir: string };
  secretKey: Buffer | undefined;
  session: { idleMs: number; absoluteMs: number };
  /** Sign-in throttling (capabilities/accounts/auth.ts; README "Sign-in policy"). */
  login: {
    /** Failures free per bucket (address and username, known device, or second factor) before a wait. */
    maxAttempts: number;
    /** The first wait; it doubles with each further failure, up to a cap. */
    lockoutBaseMs: number;
    /** Sign-in requests per minute per address and username. */
    rateLimitPerMinute: number;
    /** Sign-in requests per minute per address, whatever the usernames. */
    addressRateLimitPerMinute: number;
    /** Failures per hour for one username from everywhere but its known devices. */
    accountFailuresPerHour: number;
  };
  bodyLimit: number;
  attachmentMaxBytes: number;
  statsMinCell: number;
  integrity: { recentEntries: number; intervalMs: number };
  federation: {
    maxSkewSeconds: number;
    messageTtlMs: number;
    deadLetterMs: number;
    retryBaseMs: number;
    maxMessageBytes: number;
    /** After a key rotation, how long the previous keys are still accepted. */
    keyOverlapMs: number;
    /** Plain HTTP to a peer on loopback: the sandbox, or when configured for tests. Otherwise HTTPS only. */
    plainLoopback: boolean;
    /** TLS towards peers: the client certificate this node presents, and extra CAs it trusts. */
    client: { cert: Buffer | undefined; key: Buffer | undefined; ca: Buffer | undefined };
  };
  hits: {
    peerQueriesPerHour: number;
    userQueriesPerHour: number;
    /** The item types this node answers (a selector type, or `person`). */
    answer: readonly string[];
    /** What it answers instead for particular asking peers. */
    answerPeers: Readonly<Record<string, readonly string[]>>;
    personThreshold: number;
  };
  /** HTTPS served by the node itself; `clientCa`: peers delivering envelopes must present a certificate it signed. */
  tls: { cert: Buffer; key: Buffer; clientCa: Buffer | undefined } | undefined;
  /** Addresses and CIDR blocks of the reverse proxies whose X-Forwarded-For is believed; empty: none. */
  trustProxy: readonly string[];
  logLevel: RawConfig["LOG_LEVEL"];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined>, overrides: ConfigInput = {}): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(baseSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") input[key] = v;
  }
  const parsed = configSchema.safeParse({ ...input, ...overrides });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "config"} ${i.message}`));
  }
  const c = parsed.data;
  return {
    mode: c.ARIADNE_MODE,
    nodeId: c.ARIADNE_NODE_ID ?? "COL",
    nodeName:
      c.ARIADNE_NODE_NAME ?? (c.ARIADNE_MODE === "sandbox" ? "Sandbox node" : (c.ARIADNE_NODE_ID ?? "")),
    host: c.HOST,
    port: c.PORT,
    publicUrl: c.ARIADNE_PUBLIC_URL,
    secureCookies: c.ARIADNE_PUBLIC_URL?.startsWith("https://") ?? false,
    database: c.DATABASE_URL
      ? { kind: "postgres", url: c.DATABASE_URL, poolSize: c.ARIADNE_DB_POOL_SIZE }
      : { kind: "pglite", dir: c.ARIADNE_DATA_DIR },
    secretKey: c.ARIADNE_SECRET_KEY ? Buffer.from(c.ARIADNE_SECRET_KEY, "base64") : undefined,
    session: {
      idleMs: c.ARIADNE_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: c.ARIADNE_SESSION_ABSOLUTE_HOURS * 3_600_000,
    },
    login: {
      maxAttempts: c.ARIADNE_LOGIN_MAX_ATTEMPTS,
      lockoutBaseMs: c.ARIADNE_LOCKOUT_BASE_SECONDS * 1000,
      rateLimitPerMinute: c.ARIADNE_AUTH_RATE_LIMIT,
      addressRateLimitPerMinute: c.ARIADNE_AUTH_ADDRESS_RATE_LIMIT ?? c.ARIADNE_AUTH_RATE_LIMIT * 10,
      accountFailuresPerHour: c.ARIADNE_LOGIN_ACCOUNT_FAILURES_PER_HOUR,
    },
    bodyLimit: c.ARIADNE_BODY_LIMIT_BYTES,
    attachmentMaxBytes: c.ARIADNE_ATTACHMENT_MAX_BYTES,
    statsMinCell: c.ARIADNE_STATS_MIN_CELL,
    integrity: {
      recentEntries: c.ARIADNE_INTEGRITY_RECENT_ENTRIES,
      intervalMs: c.ARIADNE_INTEGRITY_INTERVAL_MINUTES * 60_000,
    },
    federation: {
      maxSkewSeconds: c.ARIADNE_FEDERATION_MAX_SKEW_SECONDS,
      messageTtlMs: c.ARIADNE_FEDERATION_MESSAGE_TTL_HOURS * 3_600_000,
      deadLetterMs: c.ARIADNE_FEDERATION_DEAD_LETTER_MINUTES * 60_000,
      retryBaseMs: c.ARIADNE_FEDERATION_RETRY_BASE_MS,
      maxMessageBytes: c.ARIADNE_FEDERATION_MAX_MESSAGE_BYTES,
      keyOverlapMs: c.ARIADNE_FEDERATION_KEY_OVERLAP_HOURS * 3_600_000,
      plainLoopback: c.ARIADNE_MODE === "sandbox" || c.ARIADNE_FEDERATION_PLAIN_LOOPBACK,
      client: {
        cert: c.ARIADNE_FEDERATION_CLIENT_CERT,
        key: c.ARIADNE_FEDERATION_CLIENT_KEY,
        ca: c.ARIADNE_FEDERATION_CA,
      },
    },
    hits: {
      peerQueriesPerHour: c.ARIADNE_HITS_PEER_QUERIES_PER_HOUR,
      userQueriesPerHour: c.ARIADNE_HITS_USER_QUERIES_PER_HOUR,
      answer: c.ARIADNE_HITS_ANSWER,
      answerPeers: c.ARIADNE_HITS_ANSWER_PEERS,
      personThreshold: c.ARIADNE_HITS_PERSON_THRESHOLD,
    },
    tls:
      c.ARIADNE_TLS_CERT && c.ARIADNE_TLS_KEY
        ? { cert: c.ARIADNE_TLS_CERT, key: c.ARIADNE_TLS_KEY, clientCa: c.ARIADNE_TLS_CLIENT_CA }
        : undefined,
    trustProxy: c.ARIADNE_TRUST_PROXY,
    logLevel: c.LOG_LEVEL,
  };
}
