/**
 * The national annual return (issue 6). A node keeps each year's return as its
 * focal point prepared it: the tables computed from its cases, the notes, the
 * questionnaire, and — once submitted — what was sent and the Secretariat's
 * acknowledgement; a revision is a new row. The Secretariat keeps each return it
 * received (the SDMX it carried, its questionnaire) beside the observations it
 * imported from it.
 */
export const m011: readonly string[] = [
  `CREATE TABLE stat_returns (
       id uuid PRIMARY KEY,
       year integer NOT NULL CHECK (year BETWEEN 1990 AND 2200),
       revision integer NOT NULL CHECK (revision >= 0),
       status text NOT NULL CHECK (status IN ('draft', 'submitted', 'acknowledged', 'rejected')),
       opened_by uuid REFERENCES users(id),
       opened_at timestamptz NOT NULL,
       computed_at timestamptz NOT NULL,
       tables jsonb NOT NULL,
       notes jsonb NOT NULL DEFAULT '{"general": null, "issues": {}}',
       questionnaire jsonb,
       questionnaire_version integer NOT NULL,
       min_cell integer,
       population bigint,
       submitted_by uuid REFERENCES users(id),
       submitted_at timestamptz,
       message_id uuid,
       sdmx_csv text,
       acknowledged_at timestamptz,
       acknowledgement text,
       UNIQUE (year, revision)
     )`,
  `CREATE TABLE stat_received_returns (
       message_id uuid PRIMARY KEY REFERENCES inbox(id),
       sender text NOT NULL,
       return_id uuid NOT NULL,
       year integer NOT NULL,
       revision integer NOT NULL,
       received_at timestamptz NOT NULL,
       sdmx_csv text NOT NULL,
       questionnaire_version integer NOT NULL,
       questionnaire jsonb NOT NULL,
       notes jsonb NOT NULL,
       observations integer NOT NULL,
       status text NOT NULL CHECK (status IN ('accepted', 'rejected')),
       reason text
     )`,
  `CREATE INDEX stat_received_returns_sender_idx ON stat_received_returns (sender, year, revision)`,
  `REVOKE ALL ON stat_returns, stat_received_returns FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE ON stat_returns TO ariadne_app`,
  `GRANT SELECT, INSERT ON stat_received_returns TO ariadne_app`,
];
