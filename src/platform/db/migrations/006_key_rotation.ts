/**
 * The federation (issue 4): key rotation with an overlap. A peer whose new keys
 * are endorsed by the key an administrator approved stays active; its previous
 * keys are kept, and accepted, until the overlap ends. `refreshed_at` limits how
 * often a node fetches a peer's descriptor when it meets a key it does not know.
 */
export const m006: readonly string[] = [
  `ALTER TABLE peers
       ADD COLUMN previous_signing_kid text,
       ADD COLUMN previous_signing_jwk jsonb,
       ADD COLUMN previous_encryption_kid text,
       ADD COLUMN previous_encryption_jwk jsonb,
       ADD COLUMN previous_until timestamptz,
       ADD COLUMN refreshed_at timestamptz`,
];
