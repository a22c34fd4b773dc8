/**
 * The federation (issue 4). The node's keys: one active Ed25519 signing key and
 * one active X25519 encryption key, private halves sealed with the node's secret
 * key; retired keys stay (a rotation keeps the old key for its overlap period)
 * and nothing deletes a key. The peers: imported from their signed descriptors,
 * pending until an administrator approves them, suspendable by either side.
 */
export const m004: readonly string[] = [
  `CREATE TABLE node_keys (
       kid text PRIMARY KEY,
       use text NOT NULL CHECK (use IN ('sig', 'enc')),
       public_jwk jsonb NOT NULL,
       private_sealed text NOT NULL,
       created_at timestamptz NOT NULL,
       retired_at timestamptz
     )`,
  // At most one active key per use, so that two processes starting at once cannot both create one.
  `CREATE UNIQUE INDEX node_keys_active_idx ON node_keys (use) WHERE retired_at IS NULL`,
  `CREATE TABLE peers (
       node_id text PRIMARY KEY CHECK (node_id ~ '^([A-Z]{3}|UNODC)$'),
       name text NOT NULL,
       endpoint text NOT NULL,
       descriptor text NOT NULL,
       issued_at timestamptz NOT NULL,
       signing_kid text NOT NULL,
       signing_jwk jsonb NOT NULL,
       encryption_kid text NOT NULL,
       encryption_jwk jsonb NOT NULL,
       status text NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
       status_reason text,
       imported_at timestamptz NOT NULL,
       imported_by uuid,
       approved_at timestamptz,
       approved_by uuid,
       updated_at timestamptz NOT NULL
     )`,
  // The transactional outbox: a message is written in the transaction of the change that causes
  // it, and delivered afterwards, at least once; the receiver's inbox makes it exactly once.
  `CREATE TABLE outbox (
       id uuid PRIMARY KEY,
       recipient text NOT NULL REFERENCES peers(node_id),
       mtype text NOT NULL,
       mversion integer NOT NULL,
       thread uuid NOT NULL,
       tlp text NOT NULL,
       handling text[] NOT NULL,
       body jsonb NOT NULL,
       case_id uuid REFERENCES cases(id),
       named_recipients text[] NOT NULL DEFAULT '{}',
       forwarded_from uuid,
       created_at timestamptz NOT NULL,
       created_by uuid,
       expires_at timestamptz NOT NULL,
       status text NOT NULL CHECK (status IN ('queued', 'processed', 'rejected', 'dead')),
       attempts integer NOT NULL DEFAULT 0,
       next_attempt_at timestamptz NOT NULL,
       last_error text,
       done_at timestamptz,
       receipt text
     )`,
  `CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status = 'queued'`,
  `CREATE INDEX outbox_thread_idx ON outbox (recipient, thread, id) WHERE status = 'queued'`,
  `CREATE TABLE inbox (
       id uuid PRIMARY KEY,
       sender text NOT NULL,
       mtype text NOT NULL,
       mversion integer NOT NULL,
       thread uuid NOT NULL,
       tlp text NOT NULL,
       handling text[] NOT NULL,
       body jsonb NOT NULL,
       named_recipients text[] NOT NULL DEFAULT '{}',
       sent_at timestamptz NOT NULL,
       received_at timestamptz NOT NULL,
       envelope text NOT NULL
     )`,
  `CREATE INDEX inbox_received_idx ON inbox (received_at DESC)`,
  `REVOKE ALL ON node_keys, peers, outbox, inbox FROM PUBLIC`,
  `GRANT SELECT, INSERT, UPDATE ON outbox TO ariadne_app`,
  `GRANT SELECT, INSERT ON inbox TO ariadne_app`,
  `GRANT SELECT, INSERT, UPDATE ON peers TO ariadne_app`,
  `GRANT SELECT, INSERT ON node_keys TO ariadne_app`,
  `GRANT UPDATE (retired_at) ON node_keys TO ariadne_app`,
];
