/** The cases capability's public entry point: what other capabilities may use of a case. */
export { caseForMember, casesWith, caseWith, holds, me } from "./access.ts";
export { createCase, getCase, listTeam } from "./cases.ts";
export { crisisEntryHash, crisisLogBreak, readCrisisLog } from "./crisis-log.ts";
export { listPersons } from "./persons.ts";
