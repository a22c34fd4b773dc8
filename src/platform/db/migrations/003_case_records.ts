/**
 * The other records of a case: organised groups, vehicles, selectors, attachments
 * (content-addressed, kept in the database so that backups carry them), rescue
 * operations and charges. Attachments and rescue operations are evidence: the
 * application's role may add them but not change or remove them. The allowed
 * values (vehicle uses, selector kinds, results, stages, verdicts, appeals) are
 * written out as they were when this shipped; a change is a new migration.
 */
export const m003: readonly string[] = [
  `CREATE TABLE case_groups (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       created_by uuid,
       name text NOT NULL,
       aliases text[] NOT NULL,
       countries text[] NOT NULL,
       description text
     )`,
  `CREATE INDEX case_groups_case_idx ON case_groups (case_id)`,
  `CREATE TABLE case_vehicles (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       created_by uuid,
       plate text,
       plate_normalised text,
       plate_country text CHECK (plate_country ~ '^[A-Z]{3}$'),
       make text,
       model text,
       colour text,
       use text NOT NULL CHECK (use IN ('abduction','captivity','ransom_collection','escape','surveillance','other')),
       description text
     )`,
  `CREATE INDEX case_vehicles_case_idx ON case_vehicles (case_id)`,
  `CREATE INDEX case_vehicles_plate_idx ON case_vehicles (plate_normalised)`,
  `CREATE TABLE case_selectors (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       created_by uuid,
       kind text NOT NULL CHECK (kind IN ('phone','iban','crypto_wallet')),
       value text NOT NULL,
       asset text,
       person_id uuid REFERENCES case_persons(id) ON DELETE SET NULL,
       note text,
       UNIQUE (case_id, kind, value)
     )`,
  `CREATE INDEX case_selectors_value_idx ON case_selectors (value, kind)`,
  `CREATE TABLE attachment_blobs (
       sha256 bytea PRIMARY KEY CHECK (length(sha256) = 32),
       size bigint NOT NULL CHECK (size >= 0),
       content bytea NOT NULL
     )`,
  `CREATE TABLE case_attachments (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       created_by uuid,
       filename text NOT NULL,
       media_type text NOT NULL,
       size bigint NOT NULL,
       sha256 bytea NOT NULL REFERENCES attachment_blobs(sha256),
       description text
     )`,
  `CREATE INDEX case_attachments_case_idx ON case_attachments (case_id)`,
  `CREATE TABLE rescue_operations (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       created_by uuid,
       started_at timestamptz NOT NULL,
       ended_at timestamptz CHECK (ended_at IS NULL OR ended_at >= started_at),
       unit text NOT NULL,
       place text,
       result text NOT NULL CHECK (result IN ('victims_freed','partial','failed','aborted')),
       victims_freed integer NOT NULL CHECK (victims_freed >= 0),
       suspects_arrested integer NOT NULL CHECK (suspects_arrested >= 0),
       casualties jsonb NOT NULL,
       summary text NOT NULL
     )`,
  `CREATE INDEX rescue_operations_case_idx ON rescue_operations (case_id, started_at)`,
  `CREATE TABLE case_charges (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       created_by uuid,
       updated_at timestamptz NOT NULL,
       person_id uuid REFERENCES case_persons(id) ON DELETE SET NULL,
       offence text NOT NULL,
       legal_provision text NOT NULL,
       court text,
       court_case_number text,
       stage text NOT NULL CHECK (stage IN ('charged','indicted','trial','judgment','appeal','final')),
       verdict text CHECK (verdict IN ('convicted','acquitted','dismissed','other')),
       verdict_date date,
       sentence jsonb,
       appeal text NOT NULL CHECK (appeal IN ('none','lodged','upheld','overturned','modified'))
     )`,
  `CREATE INDEX case_charges_case_idx ON case_charges (case_id)`,
  // Searches must not slow down between vacuums: the search GIN indexes take each insert at
  // once instead of collecting them in a pending list that every search would scan.
  `ALTER INDEX case_persons_phones_idx SET (fastupdate = off)`,
  `ALTER INDEX case_persons_ibans_idx SET (fastupdate = off)`,
  `ALTER INDEX case_persons_search_idx SET (fastupdate = off)`,
  `ALTER INDEX cases_reference_trgm_idx SET (fastupdate = off)`,
  `REVOKE ALL ON case_groups, case_vehicles, case_selectors, attachment_blobs, case_attachments,
       rescue_operations, case_charges FROM PUBLIC`,
  `GRANT SELECT, INSERT ON case_groups, case_vehicles, case_selectors, case_attachments,
       rescue_operations TO ariadne_app`,
  // Content-addressed blobs: inserting the same content twice is a no-op (ON CONFLICT DO NOTHING).
  `GRANT SELECT, INSERT ON attachment_blobs TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE ON case_charges TO ariadne_app`,
];
