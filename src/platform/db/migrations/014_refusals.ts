/**
 * Every refusal audited (issue "Trust"; EU Law Enforcement Directive art. 25): a
 * request the node refuses (need-to-know or permission 404, sign-in required, CSRF,
 * a bad, revoked or expired API token, a rate limit, a lockout, a refused or replayed
 * envelope) is counted here first, one row per minute and per identical refusal (same
 * actor, address, method and route, reason and object: `key` is their SHA-256), so that
 * a flood of them costs one row, not one entry each. A flusher moves each closed minute
 * into the audit trail as one `access.refused` entry with its count and deletes the row
 * in the same transaction: the trail stays append-only, this table is only its antechamber.
 */
export const m014: readonly string[] = [
  `CREATE TABLE refusals (
       minute timestamptz NOT NULL,
       key text NOT NULL CHECK (key ~ '^[0-9a-f]{64}$'),
       actor_id uuid,
       actor_label text NOT NULL,
       ip text,
       method text NOT NULL,
       route text NOT NULL,
       reason text NOT NULL,
       object_type text,
       object_id text,
       details jsonb NOT NULL DEFAULT '{}'::jsonb,
       request_id text,
       count integer NOT NULL CHECK (count > 0),
       first_at timestamptz NOT NULL,
       last_at timestamptz NOT NULL,
       PRIMARY KEY (minute, key)
     )`,
  `CREATE INDEX audit_log_refusal_reason_idx ON audit_log ((details->>'reason'), id) WHERE event = 'access.refused'`,
  `REVOKE ALL ON refusals FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON refusals TO ariadne_app`,
];
