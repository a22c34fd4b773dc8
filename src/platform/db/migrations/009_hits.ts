/**
 * Cross-border hit/no-hit (issue 5). The asking side keeps its queries (the case,
 * who asked, why, under which law, the items as its team knows them) and each
 * peer's answer; the answering side keeps a follow-up per hit, which a member of
 * the matched case's team approves (disclosing what they choose) or refuses.
 * Queries and disclosures are records: added, never changed; answers and
 * follow-ups change state once.
 */
export const m009: readonly string[] = [
  `CREATE TABLE hit_queries (
       id uuid PRIMARY KEY,
       case_id uuid NOT NULL REFERENCES cases(id),
       created_at timestamptz NOT NULL,
       created_by uuid REFERENCES users(id),
       purpose text NOT NULL,
       legal_basis text NOT NULL,
       items jsonb NOT NULL
     )`,
  `CREATE INDEX hit_queries_case_idx ON hit_queries (case_id, created_at)`,
  `CREATE INDEX hit_queries_user_idx ON hit_queries (created_by, created_at)`,
  `CREATE TABLE hit_answers (
       query_id uuid NOT NULL REFERENCES hit_queries(id),
       peer text NOT NULL,
       message_id uuid NOT NULL,
       status text NOT NULL CHECK (status IN ('pending', 'answered', 'refused')),
       reason text,
       results jsonb NOT NULL DEFAULT '[]',
       answered_at timestamptz,
       PRIMARY KEY (query_id, peer)
     )`,
  `CREATE TABLE hit_followups (
       id uuid PRIMARY KEY,
       peer text NOT NULL,
       query_message_id uuid NOT NULL REFERENCES inbox(id),
       query_ref uuid NOT NULL,
       item_ref integer NOT NULL,
       item_type text NOT NULL,
       score real NOT NULL,
       case_id uuid NOT NULL REFERENCES cases(id),
       record_type text NOT NULL,
       record_id uuid NOT NULL,
       matched text NOT NULL,
       purpose text NOT NULL,
       legal_basis text NOT NULL,
       asker_case_reference text,
       status text NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
       decided_by uuid REFERENCES users(id),
       decided_at timestamptz,
       information text,
       reason text,
       created_at timestamptz NOT NULL
     )`,
  `CREATE INDEX hit_followups_case_idx ON hit_followups (case_id, status)`,
  `CREATE TABLE hit_disclosures (
       reference uuid PRIMARY KEY,
       query_id uuid NOT NULL REFERENCES hit_queries(id),
       peer text NOT NULL,
       decision text NOT NULL CHECK (decision IN ('approved', 'refused')),
       information text,
       reason text,
       message_id uuid NOT NULL REFERENCES inbox(id),
       received_at timestamptz NOT NULL
     )`,
  `REVOKE ALL ON hit_queries, hit_answers, hit_followups, hit_disclosures FROM PUBLIC`,
  `GRANT SELECT, INSERT ON hit_queries, hit_disclosures TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE ON hit_answers, hit_followups TO ariadne_app`,
];
