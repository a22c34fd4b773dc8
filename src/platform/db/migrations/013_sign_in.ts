/**
 * Sign-in without lockout (issue "Trust"): failed attempts slow down the
 * attempts of one source against one username instead of locking the account.
 *
 * sign_in_throttle holds one row per bucket: `address` (one client address and
 * one username as typed), `device` (a known device of the account), `account`
 * (the per-username ceiling over every address) and `code` (second-factor codes
 * of one account, or of one account on one known device). The username is kept
 * as typed (normalised), whether an account has it or not, so that an unknown
 * username is throttled exactly like a known one; an administrator's unlock
 * deletes the rows of a username.
 *
 * known_devices holds the SHA-256 of each long-lived "known device" cookie,
 * given at a full sign-in and bound to that account.
 */
export const m013: readonly string[] = [
  `CREATE TABLE sign_in_throttle (
       kind text NOT NULL CHECK (kind IN ('address', 'device', 'account', 'code')),
       key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 400),
       username text NOT NULL,
       failures integer NOT NULL CHECK (failures >= 0),
       window_started_at timestamptz NOT NULL,
       last_failure_at timestamptz NOT NULL,
       blocked_until timestamptz,
       PRIMARY KEY (kind, key)
     )`,
  `CREATE INDEX sign_in_throttle_username_idx ON sign_in_throttle (username)`,
  `CREATE INDEX sign_in_throttle_last_failure_idx ON sign_in_throttle (last_failure_at)`,
  `CREATE TABLE known_devices (
       token_hash bytea PRIMARY KEY,
       user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL
     )`,
  `CREATE INDEX known_devices_user_idx ON known_devices (user_id)`,
  `REVOKE ALL ON sign_in_throttle, known_devices FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_throttle, known_devices TO ariadne_app`,
];
