/** The cases capability's public entry point: what other capabilities may use of a case. */
export { caseForMember, casesWith, caseWith, holds, me } from "./access.ts";
export { createCase, getCase, listPersons, listTeam, readCrisisLog } from "./cases.ts";
