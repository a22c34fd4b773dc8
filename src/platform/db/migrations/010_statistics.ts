/**
 * Statistics (issue 6): statistical observations with their provenance, from the
 * historical files (UNODC CTS, Eurostat), SDMX files and the national returns.
 * Several sources for the same country and year are kept side by side (the
 * source is part of the key); re-importing a file updates its rows in place
 * (one row per source, submission, revision, area, year, indicator, measure,
 * unit and breakdown), so an import is idempotent. Every import is recorded
 * with the account of its rows. Also an index for computing a year's return.
 */
export const m010: readonly string[] = [
  `CREATE TABLE stat_imports (
       id uuid PRIMARY KEY,
       source text NOT NULL,
       format text NOT NULL CHECK (format IN ('unodc-cts', 'eurostat-tsv', 'sdmx-csv', 'sdmx-json', 'return')),
       file_name text NOT NULL,
       file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
       started_at timestamptz NOT NULL,
       finished_at timestamptz,
       imported_by text,
       rows_total integer NOT NULL DEFAULT 0,
       rows_inserted integer NOT NULL DEFAULT 0,
       rows_updated integer NOT NULL DEFAULT 0,
       rows_unchanged integer NOT NULL DEFAULT 0,
       rows_rejected integer NOT NULL DEFAULT 0,
       report jsonb NOT NULL DEFAULT '{}'
     )`,
  `CREATE TABLE stat_observations (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       source text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 100),
       source_detail text,
       submission_id text NOT NULL DEFAULT '',
       revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0),
       ref_area text NOT NULL CHECK (ref_area ~ '^[A-Z]{3}(_[A-Z]+)*$'),
       country text NOT NULL CHECK (country ~ '^[A-Z]{3}$'),
       area_level text NOT NULL CHECK (area_level IN ('country', 'subnational')),
       area_name text,
       region text,
       subregion text,
       time_period integer NOT NULL CHECK (time_period BETWEEN 1900 AND 2200),
       indicator text NOT NULL,
       measure text NOT NULL,
       unit_measure text NOT NULL,
       breakdown text NOT NULL DEFAULT '_T',
       value numeric NOT NULL,
       obs_status text NOT NULL DEFAULT 'A',
       obs_flags text,
       note text,
       file text NOT NULL,
       row_number integer NOT NULL CHECK (row_number >= 0),
       import_id uuid REFERENCES stat_imports(id),
       imported_at timestamptz NOT NULL,
       CONSTRAINT stat_observations_key UNIQUE
         (source, submission_id, revision, ref_area, time_period, indicator, measure, unit_measure, breakdown)
     )`,
  `CREATE INDEX stat_observations_period_idx ON stat_observations (time_period, ref_area)`,
  `CREATE INDEX cases_reported_at_idx ON cases (reported_at)`,
  `REVOKE ALL ON stat_imports, stat_observations FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE ON stat_imports, stat_observations TO ariadne_app`,
];
