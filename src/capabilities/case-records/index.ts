/** The case records' public entry point: what other capabilities may use of a case's records. */
export { type CaseRecords, checkAttachments, readRecords } from "./records.ts";
