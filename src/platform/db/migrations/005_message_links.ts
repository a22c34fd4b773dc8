/**
 * The federation (issue 4): a received message linked to local cases. A liaison
 * officer links a notice to a case of theirs, or opens a case from it; the link
 * keeps who made it and when, and nothing removes it (it is part of the record
 * of what the node did with what it was told).
 */
export const m005: readonly string[] = [
  `CREATE TABLE message_case_links (
       message_id uuid NOT NULL REFERENCES inbox(id),
       case_id uuid NOT NULL REFERENCES cases(id),
       linked_at timestamptz NOT NULL,
       linked_by uuid NOT NULL REFERENCES users(id),
       opened_case boolean NOT NULL DEFAULT false,
       PRIMARY KEY (message_id, case_id)
     )`,
  `CREATE INDEX message_case_links_case_idx ON message_case_links (case_id)`,
  `REVOKE ALL ON message_case_links FROM PUBLIC`,
  `GRANT SELECT, INSERT ON message_case_links TO ariadne_app`,
];
