/**
 * Kidnapping cases, their teams (need-to-know) and the crisis log: append-only,
 * hash-chained per case (the case row holds the head, locked while appending,
 * so only entries of the same case wait for each other), and the people of a case.
 * The allowed statuses, outcomes, team roles, log kinds and person roles are
 * written out as they were when this shipped; a change is a new migration.
 */
export const m002: readonly string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE TABLE case_counters (
       year integer PRIMARY KEY,
       last integer NOT NULL
     )`,
  `CREATE TABLE cases (
       id uuid PRIMARY KEY,
       reference text NOT NULL UNIQUE,
       title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
       status text NOT NULL CHECK (status IN ('reported','active_crisis','resolved','under_investigation','in_prosecution','closed')),
       outcome text CHECK (outcome IN ('released_after_payment','released_without_payment','rescued','escaped','killed','died_in_captivity','still_missing','found_simulated')),
       occurred_at timestamptz,
       reported_at timestamptz NOT NULL,
       country text NOT NULL CHECK (country ~ '^[A-Z]{3}$'),
       region text,
       latitude double precision CHECK (latitude BETWEEN -90 AND 90),
       longitude double precision CHECK (longitude BETWEEN -180 AND 180),
       elements jsonb NOT NULL,
       iccs text,
       kidnapping boolean NOT NULL,
       op_type text NOT NULL,
       classification_reasons jsonb NOT NULL,
       tlp text NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
       handling text[] NOT NULL,
       created_by uuid REFERENCES users(id),
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       log_seq integer NOT NULL DEFAULT 0,
       log_hash bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
       CONSTRAINT cases_outcome_when_resolved CHECK ((outcome IS NULL) = (status IN ('reported', 'active_crisis')))
     )`,
  `CREATE INDEX cases_status_idx ON cases (status, reported_at DESC)`,
  `CREATE TABLE case_team (
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       user_id uuid NOT NULL REFERENCES users(id),
       case_role text NOT NULL CHECK (case_role IN ('lead','crisis_team','member')),
       added_at timestamptz NOT NULL,
       added_by uuid,
       PRIMARY KEY (case_id, user_id)
     )`,
  `CREATE INDEX case_team_user_idx ON case_team (user_id, case_id)`,
  `CREATE TABLE crisis_log (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id),
       seq integer NOT NULL,
       kind text NOT NULL CHECK (kind IN ('contact','demand','proof_of_life','decision','intelligence','action','note')),
       occurred_at timestamptz NOT NULL,
       recorded_at timestamptz NOT NULL,
       author_id uuid NOT NULL,
       author_label text NOT NULL,
       content jsonb NOT NULL,
       corrects_id bigint REFERENCES crisis_log(id),
       prev_hash bytea NOT NULL,
       hash bytea NOT NULL,
       UNIQUE (case_id, seq)
     )`,
  `CREATE FUNCTION crisis_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'crisis_log is append-only: % refused; record a correction instead', TG_OP
         USING ERRCODE = 'insufficient_privilege';
     END $$`,
  `CREATE TRIGGER crisis_log_append_only BEFORE UPDATE OR DELETE ON crisis_log
       FOR EACH ROW EXECUTE FUNCTION crisis_log_refuse_change()`,
  `CREATE TRIGGER crisis_log_no_truncate BEFORE TRUNCATE ON crisis_log
       FOR EACH STATEMENT EXECUTE FUNCTION crisis_log_refuse_change()`,
  `CREATE TABLE case_persons (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       role text NOT NULL CHECK (role IN ('victim','suspect','family_contact','witness','negotiator')),
       display_name text NOT NULL,
       names jsonb NOT NULL,
       search_text text NOT NULL,
       date_of_birth date,
       age_min integer CHECK (age_min BETWEEN 0 AND 130),
       age_max integer CHECK (age_max BETWEEN 0 AND 130),
       sex text NOT NULL,
       nationalities text[] NOT NULL,
       documents jsonb NOT NULL,
       phones text[] NOT NULL,
       ibans text[] NOT NULL,
       addresses jsonb NOT NULL,
       created_at timestamptz NOT NULL,
       created_by uuid
     )`,
  `CREATE INDEX case_persons_case_idx ON case_persons (case_id)`,
  `CREATE INDEX case_persons_phones_idx ON case_persons USING gin (phones)`,
  `CREATE INDEX case_persons_ibans_idx ON case_persons USING gin (ibans)`,
  `CREATE INDEX case_persons_search_idx ON case_persons USING gin (search_text gin_trgm_ops)`,
  `CREATE INDEX cases_reference_trgm_idx ON cases USING gin (reference gin_trgm_ops)`,
  `REVOKE ALL ON case_counters, cases, case_team, crisis_log, case_persons FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON case_persons TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE ON case_counters, cases TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON case_team TO ariadne_app`,
  `GRANT SELECT, INSERT ON crisis_log TO ariadne_app`,
];
