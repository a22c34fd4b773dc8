/**
 * The federation (issue 4): handling code H3 ("other restrictions") carries the
 * restrictions themselves, in the sender's words, on both sides of the exchange.
 */
export const m008: readonly string[] = [
  `ALTER TABLE outbox ADD COLUMN restrictions text`,
  `ALTER TABLE inbox ADD COLUMN restrictions text`,
  // Both sides keep H3 and its words together: one without the other cannot be honoured.
  `ALTER TABLE outbox ADD CONSTRAINT outbox_h3_restrictions
       CHECK (('H3' = ANY(handling)) = (restrictions IS NOT NULL))`,
  `ALTER TABLE inbox ADD CONSTRAINT inbox_h3_restrictions
       CHECK (('H3' = ANY(handling)) = (restrictions IS NOT NULL))`,
];
