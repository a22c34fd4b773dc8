/** The case records' public entry point: what other capabilities may use of a case's records. */
export { attachmentFault, type CaseRecords, readRecords } from "./records.ts";
