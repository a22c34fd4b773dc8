/**
 * The lifecycle of a kidnapping case as an explicit state machine (issue 3,
 * DESIGN.md M2). Pure: the server refuses any transition this module refuses,
 * and audits every one it allows.
 *
 *   reported ──► active_crisis ──► resolved ──► under_investigation ──► in_prosecution ──► closed
 *       │                            ▲   │              ▲   │                 │              │
 *       └────────────────────────────┘   └──► closed    │   └──► closed       │              │
 *                                                       └──── (back for more investigation) ─┘
 *                                                       └──────────────── reopened ──────────┘
 *
 * A case is reported; while someone is held it is an active crisis; it is
 * resolved with an outcome (how the crisis ended); then investigated,
 * prosecuted and closed. A case reported after the victim came back goes from
 * reported straight to resolved. Reopening a closed case, or sending a case
 * back from prosecution to investigation, must give a reason.
 */

export const CASE_STATUSES = [
  "reported",
  "active_crisis",
  "resolved",
  "under_investigation",
  "in_prosecution",
  "closed",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OUTCOMES = [
  "released_after_payment",
  "released_without_payment",
  "rescued",
  "escaped",
  "killed",
  "died_in_captivity",
  "still_missing",
  "found_simulated",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Where each status may go next. */
export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  reported: ["active_crisis", "resolved"],
  active_crisis: ["resolved"],
  resolved: ["under_investigation", "closed"],
  under_investigation: ["in_prosecution", "closed"],
  in_prosecution: ["closed", "under_investigation"],
  closed: ["under_investigation"],
};

/** Transitions that go backwards and therefore need a stated reason. */
const NEEDS_REASON: ReadonlySet<string> = new Set([
  "in_prosecution>under_investigation",
  "closed>under_investigation",
]);

export interface CaseState {
  status: CaseStatus;
  outcome: Outcome | null;
}

export interface TransitionRequest {
  to: CaseStatus;
  /** Required when moving to `resolved`; refused otherwise. */
  outcome?: Outcome | undefined;
  /** Required for a reopening or a return to investigation. */
  reason?: string | undefined;
}

export type TransitionResult =
  | { ok: true; state: CaseState }
  | { ok: false; error: { path: string; message: string } };

const fail = (path: string, message: string): TransitionResult => ({ ok: false, error: { path, message } });

/** Does moving from `from` to `to` need a stated reason? */
export function needsReason(from: CaseStatus, to: CaseStatus): boolean {
  return NEEDS_REASON.has(`${from}>${to}`);
}

export function allowedNext(status: CaseStatus): readonly CaseStatus[] {
  return TRANSITIONS[status];
}

export function transition(current: CaseState, req: TransitionRequest): TransitionResult {
  if (!TRANSITIONS[current.status].includes(req.to)) {
    const next = TRANSITIONS[current.status];
    return fail(
      "to",
      `a case that is ${current.status} cannot become ${req.to}; it can become ${next.join(" or ")}`,
    );
  }
  if (req.to === "resolved") {
    if (!req.outcome) return fail("outcome", "is required to resolve a case: how did the crisis end?");
    return { ok: true, state: { status: "resolved", outcome: req.outcome } };
  }
  if (req.outcome !== undefined) return fail("outcome", "is given only when a case is resolved");
  if (needsReason(current.status, req.to) && !req.reason?.trim()) {
    return fail("reason", `is required to move a case from ${current.status} back to ${req.to}`);
  }
  return { ok: true, state: { status: req.to, outcome: current.outcome } };
}

/** Statuses in which a person may still be held: the crisis team's live view. */
export function isLive(status: CaseStatus): boolean {
  return status === "reported" || status === "active_crisis";
}
