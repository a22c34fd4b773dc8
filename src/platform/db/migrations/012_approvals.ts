/**
 * Four eyes (issue "Trust"). What lets one person act as another — a reset of the
 * password or second factor of an account on a case team, a grant of a role with case
 * work, an API token for another account — waits in `approvals` for a second
 * administrator (or the operator's break-glass). The payload never holds a secret.
 * `security_notices` tells the account's holder, and the leads of their cases, who
 * changed what and when.
 */
export const m012: readonly string[] = [
  `CREATE TABLE approvals (
       id uuid PRIMARY KEY,
       kind text NOT NULL CHECK (kind IN ('password_reset', 'mfa_reset', 'roles_grant', 'user_create', 'token_create')),
       target_user_id uuid REFERENCES users(id),
       target_username text NOT NULL,
       payload jsonb NOT NULL DEFAULT '{}',
       requested_by uuid REFERENCES users(id),
       requested_by_label text NOT NULL,
       requested_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       decision text CHECK (decision IN ('approved', 'refused', 'expired', 'break_glass')),
       decided_by uuid REFERENCES users(id),
       decided_by_label text,
       decided_at timestamptz,
       reason text,
       CHECK ((decision IS NULL) = (decided_at IS NULL))
     )`,
  `CREATE INDEX approvals_pending_idx ON approvals (requested_at) WHERE decision IS NULL`,
  `CREATE TABLE security_notices (
       id uuid PRIMARY KEY,
       user_id uuid NOT NULL REFERENCES users(id),
       kind text NOT NULL CHECK (kind IN ('password_reset', 'mfa_reset', 'roles_grant', 'user_create', 'token_create')),
       approval_id uuid REFERENCES approvals(id),
       requested_by_label text NOT NULL,
       approved_by_label text,
       at timestamptz NOT NULL,
       break_glass boolean NOT NULL DEFAULT false,
       reason text,
       acknowledged_at timestamptz
     )`,
  `CREATE INDEX security_notices_user_idx ON security_notices (user_id, at)`,
  `REVOKE ALL ON approvals, security_notices FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE ON approvals, security_notices TO ariadne_app`,
];
