/** The accounts capability's public entry point: what other capabilities may use. */
export { teamSecurityNotices } from "./notices.ts";
