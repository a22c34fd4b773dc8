/** The cases capability's public entry point: what other capabilities may use of a case. */
export {
  caseForMember,
  createCase,
  getCase,
  listPersons,
  listTeam,
  me,
  readCrisisLog,
} from "./cases.ts";
