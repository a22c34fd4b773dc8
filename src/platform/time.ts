/** Times on the wire: ISO 8601 in UTC. */
export const iso = (d: Date | string): string => new Date(d).toISOString();
export const isoOrNull = (d: Date | string | null): string | null => (d == null ? null : iso(d));
