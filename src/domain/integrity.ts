/**
 * The node's integrity: whether every hash chain and hash it keeps still verifies (the audit
 * chain, each case's crisis log, each attachment's SHA-256), as the node last found it at start,
 * periodically or on demand. Names what broke; carries no content.
 */
import { z } from "zod";

export const INTEGRITY_STATES = ["verifying", "intact", "broken"] as const;
export type IntegrityState = (typeof INTEGRITY_STATES)[number];

/** The chains reported one by one (also the `chain` label of the `ariadne_integrity_ok` gauge). */
export const INTEGRITY_CHAINS = ["audit", "crisis_log", "attachments"] as const;
export type IntegrityChain = (typeof INTEGRITY_CHAINS)[number];

const brokenEntry = z.object({ seq: z.number(), reason: z.string() });

export const integrityReportSchema = z.object({
  /**
   * verifying: no check has found anything broken yet, and the whole has not been verified yet
   * (at start, while the background pass runs); intact: the last full pass found everything
   * whole and no check since found a break; broken: a check found a break.
   */
  state: z.enum(INTEGRITY_STATES),
  /** What the last finished check covered: the recent part (at start) or everything. */
  scope: z.enum(["none", "recent", "full"]),
  /** When the last check (recent or full) finished, and the last full one. */
  checkedAt: z.string().nullable(),
  fullCheckedAt: z.string().nullable(),
  /** A pass is running: its audit-chain progress (entries verified of the head's count). */
  running: z.object({ startedAt: z.string(), checked: z.number(), total: z.number() }).nullable(),
  audit: z.object({
    /** null: not checked yet. */
    ok: z.boolean().nullable(),
    /** The entries the last check verified (the recent ones at start, all in a full pass). */
    entries: z.number(),
    head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
    firstBroken: brokenEntry.nullable(),
  }),
  crisisLogs: z.object({
    ok: z.boolean().nullable(),
    cases: z.number(),
    /** Each case whose log does not verify, with its first broken entry. */
    broken: z.array(z.object({ caseId: z.string(), case: z.string(), seq: z.number(), reason: z.string() })),
  }),
  attachments: z.object({
    ok: z.boolean().nullable(),
    count: z.number(),
    broken: z.array(z.object({ case: z.string(), attachment: z.string(), reason: z.string() })),
  }),
  /** The last check could not run (e.g. the database did not answer). */
  error: z.string().nullable(),
});
export type IntegrityReport = z.infer<typeof integrityReportSchema>;

/** What a node's routes and metrics are given (deps.integrity). */
export interface IntegrityView {
  report(): IntegrityReport;
  /** Ask for a full verification now; resolves with its report (a pass already asked for is shared). */
  verifyNow(): Promise<IntegrityReport>;
}

/** The verification of one case's crisis log and attachments, carried by its export. */
export const caseVerificationSchema = z.object({
  verifiedAt: z.string(),
  crisisLog: z
    .object({ ok: z.boolean(), entries: z.number(), firstBroken: brokenEntry.nullable() })
    .nullable(),
  attachments: z.object({
    ok: z.boolean(),
    count: z.number(),
    broken: z.array(z.object({ attachment: z.string(), reason: z.string() })),
  }),
});
export type CaseVerification = z.infer<typeof caseVerificationSchema>;
