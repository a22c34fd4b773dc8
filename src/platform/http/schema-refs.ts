/**
 * Schemas that the OpenAPI document names once (components.schemas) and refers
 * to from every route, instead of repeating them inline: the error body and
 * the records that many routes return.
 */
import { z } from "zod";
import {
  attachmentSchema,
  chargeSchema,
  groupSchema,
  rescueSchema,
  selectorSchema,
  vehicleSchema,
} from "../../domain/case-records.ts";
import { caseSchema, crisisLogEntrySchema, personSchema, teamMemberSchema } from "../../domain/cases.ts";
import { errorBodySchema } from "./common.ts";

const NAMED: [z.ZodType, string][] = [
  [errorBodySchema, "Error"],
  [caseSchema, "Case"],
  [personSchema, "Person"],
  [teamMemberSchema, "TeamMember"],
  [crisisLogEntrySchema, "CrisisLogEntry"],
  [groupSchema, "OrganisedGroup"],
  [vehicleSchema, "Vehicle"],
  [selectorSchema, "Selector"],
  [attachmentSchema, "Attachment"],
  [rescueSchema, "RescueOperation"],
  [chargeSchema, "Charge"],
];

let done = false;
/** Idempotent: several nodes may be built in one process (tests, the sandbox). */
export function registerSchemaRefs(): void {
  if (done) return;
  done = true;
  for (const [schema, id] of NAMED) if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id });
}
