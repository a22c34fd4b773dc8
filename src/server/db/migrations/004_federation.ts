/**
 * The federation (issue 4). The node's keys: one active Ed25519 signing key and
 * one active X25519 encryption key, private halves sealed with the node's secret
 * key; retired keys stay (a rotation keeps the old key for its overlap period)
 * and nothing deletes a key. The peers: imported from their signed descriptors,
 * pending until an administrator approves them, suspendable by either side.
 */
export function m004(opts: { appRole: string }): readonly string[] {
  return [
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
    `REVOKE ALL ON node_keys, peers FROM PUBLIC`,
    `GRANT SELECT, INSERT, UPDATE ON peers TO ${opts.appRole}`,
    `GRANT SELECT, INSERT ON node_keys TO ${opts.appRole}`,
    `GRANT UPDATE (retired_at) ON node_keys TO ${opts.appRole}`,
  ];
}
