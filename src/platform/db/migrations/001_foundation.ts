/**
 * Accounts, sessions, API tokens and the hash-chained, append-only audit trail.
 * The roles an account may hold are written out as they were when this shipped:
 * a role added later comes with a migration of its own (see index.ts).
 */
export const m001: readonly string[] = [
  `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ariadne_app') THEN
         CREATE ROLE ariadne_app NOLOGIN;
       END IF;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$`,

  `CREATE TABLE users (
       id uuid PRIMARY KEY,
       username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
       display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
       roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['admin','investigator','crisis_manager','analyst','prosecutor','central_authority','fiu_officer','victim_support','statistics_focal_point','liaison_officer','auditor']::text[]),
       status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
       password_hash text NOT NULL,
       mfa_secret_enc text,
       mfa_pending_secret_enc text,
       mfa_last_step bigint,
       mfa_enrolled_at timestamptz,
       failed_attempts integer NOT NULL DEFAULT 0,
       locked_until timestamptz,
       language text NOT NULL DEFAULT 'en' CHECK (language IN ('en','fr','es','ar','zh','ru')),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       last_login_at timestamptz
     )`,

  `CREATE TABLE sessions (
       id_hash bytea PRIMARY KEY,
       user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       stage text NOT NULL CHECK (stage IN ('mfa', 'enrol', 'full')),
       csrf_token text NOT NULL,
       created_at timestamptz NOT NULL,
       last_seen_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       ip text,
       user_agent text
     )`,
  `CREATE INDEX sessions_user_idx ON sessions (user_id)`,

  `CREATE TABLE api_tokens (
       id uuid PRIMARY KEY,
       user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
       token_hash bytea NOT NULL UNIQUE,
       scopes text[] NOT NULL,
       created_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       revoked_at timestamptz,
       last_used_at timestamptz
     )`,
  `CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`,

  // The audit trail. A writer INSERTs an entry in the transaction of the change
  // (no lock, so writers never queue behind each other); the sealer then gives
  // committed entries their place in the hash chain (seq, prev_hash, hash).
  `CREATE TABLE audit_log (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       seq bigint UNIQUE,
       at timestamptz NOT NULL,
       actor_id uuid,
       actor_label text NOT NULL,
       event text NOT NULL,
       target_type text,
       target_id text,
       purpose text,
       request_id text,
       ip text,
       details jsonb NOT NULL DEFAULT '{}'::jsonb,
       prev_hash bytea,
       hash bytea,
       CONSTRAINT audit_log_sealed_whole CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
     )`,
  `CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE seq IS NULL`,
  `CREATE INDEX audit_log_event_idx ON audit_log (event, id)`,
  `CREATE INDEX audit_log_actor_idx ON audit_log (actor_label, id)`,
  `CREATE INDEX audit_log_target_idx ON audit_log (target_id, id)`,
  `CREATE INDEX audit_log_at_idx ON audit_log (at)`,

  `CREATE TABLE audit_head (
       id integer PRIMARY KEY CHECK (id = 1),
       seq bigint NOT NULL,
       hash bytea NOT NULL
     )`,
  `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'))`,

  // Append-only: the one change ever allowed is sealing an unsealed entry,
  // setting seq, prev_hash and hash and nothing else.
  `CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
          AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_label, NEW.event, NEW.target_type, NEW.target_id,
               NEW.purpose, NEW.request_id, NEW.ip, NEW.details)
              IS NOT DISTINCT FROM
              (OLD.id, OLD.at, OLD.actor_id, OLD.actor_label, OLD.event, OLD.target_type, OLD.target_id,
               OLD.purpose, OLD.request_id, OLD.ip, OLD.details)
       THEN
         RETURN NEW;
       END IF;
       RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
     END $$`,
  `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_guard()`,
  `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard()`,

  `REVOKE ALL ON users, sessions, api_tokens, audit_log, audit_head FROM PUBLIC`,
  `GRANT USAGE ON SCHEMA public TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, api_tokens TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE (seq, prev_hash, hash) ON audit_log TO ariadne_app`,
  `GRANT SELECT, UPDATE ON audit_head TO ariadne_app`,
  `GRANT SELECT ON kysely_migration TO ariadne_app`,
];
