/** The fixed lists the interface offers (the server's policy table is the authority on what they mean). */
import { AUDIT_EVENTS } from "../../src/domain/audit-events.ts";
import { ROLES } from "../../src/domain/roles.ts";
import type { AuditEvent, Role } from "./api.ts";

export const ALL_ROLES: readonly Role[] = ROLES;
export const ALL_AUDIT_EVENTS: readonly AuditEvent[] = AUDIT_EVENTS;
