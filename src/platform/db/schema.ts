/** Row types of the node's database, for Kysely. Columns are snake_case as in SQL. */
import type { ColumnType, Generated } from "kysely";
import type { StatImportRow, StatObservationRow } from "../../engines/statistics/db.ts";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  status: "active" | "disabled";
  password_hash: string;
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_last_step: number | null;
  mfa_enrolled_at: Timestamp | null;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  language: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  last_login_at: Timestamp | null;
}

export interface SessionsTable {
  id_hash: Bytes;
  user_id: string;
  stage: "mfa" | "enrol" | "full";
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

/** Failed sign-in attempts of one bucket (migration 013): see capabilities/accounts/auth.ts. */
export interface SignInThrottleTable {
  kind: "address" | "device" | "account" | "code";
  key: string;
  username: string;
  failures: number;
  window_started_at: Timestamp;
  last_failure_at: Timestamp;
  blocked_until: Timestamp | null;
}

/** A browser that completed a sign-in: the SHA-256 of its long-lived cookie, bound to the account. */
export interface KnownDevicesTable {
  token_hash: Bytes;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: Bytes;
  scopes: string[];
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  seq: number | null;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  event: string;
  target_type: string | null;
  target_id: string | null;
  purpose: string | null;
  request_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  prev_hash: Bytes | null;
  hash: Bytes | null;
}

/** Refusals counted per minute before they go into the audit trail (platform/audit/refusals.ts). */
export interface RefusalsTable {
  minute: Timestamp;
  key: string;
  actor_id: string | null;
  actor_label: string;
  ip: string | null;
  method: string;
  route: string;
  reason: string;
  object_type: string | null;
  object_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  request_id: string | null;
  count: number;
  first_at: Timestamp;
  last_at: Timestamp;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: Bytes;
}

export interface CaseCountersTable {
  year: number;
  last: number;
}

type Json = ColumnType<Record<string, unknown>, string, string>;

export interface CasesTable {
  id: string;
  reference: string;
  title: string;
  status: string;
  outcome: string | null;
  occurred_at: Timestamp | null;
  reported_at: Timestamp;
  country: string;
  region: string | null;
  latitude: number | null;
  longitude: number | null;
  elements: Json;
  iccs: string | null;
  kidnapping: boolean;
  op_type: string;
  classification_reasons: ColumnType<string[], string, string>;
  tlp: string;
  handling: string[];
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  log_seq: Generated<number>;
  log_hash: ColumnType<Uint8Array, Uint8Array | undefined, Uint8Array>;
}

export interface CaseTeamTable {
  case_id: string;
  user_id: string;
  case_role: string;
  added_at: Timestamp;
  added_by: string | null;
}

export interface CrisisLogTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  kind: string;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  author_id: string;
  author_label: string;
  content: Json;
  corrects_id: number | null;
  prev_hash: Bytes;
  hash: Bytes;
}

export interface CasePersonsTable {
  id: string;
  case_id: string;
  role: string;
  display_name: string;
  names: ColumnType<{ given?: string; family?: string; script: string }[], string, string>;
  search_text: string;
  date_of_birth: ColumnType<Date | null, string | null, string | null>;
  age_min: number | null;
  age_max: number | null;
  sex: string;
  nationalities: string[];
  documents: ColumnType<{ type: string; country: string; number: string }[], string, string>;
  phones: string[];
  ibans: string[];
  addresses: ColumnType<string[], string, string>;
  created_at: Timestamp;
  created_by: string | null;
}

interface CaseOwned {
  id: string;
  case_id: string;
  created_at: Timestamp;
  created_by: string | null;
}

export interface CaseGroupsTable extends CaseOwned {
  name: string;
  aliases: string[];
  countries: string[];
  description: string | null;
}

export interface CaseVehiclesTable extends CaseOwned {
  plate: string | null;
  plate_normalised: string | null;
  plate_country: string | null;
  make: string | null;
  model: string | null;
  colour: string | null;
  use: string;
  description: string | null;
}

export interface CaseSelectorsTable extends CaseOwned {
  kind: string;
  value: string;
  asset: string | null;
  person_id: string | null;
  note: string | null;
}

export interface AttachmentBlobsTable {
  sha256: Uint8Array;
  size: number;
  content: Uint8Array;
}

export interface CaseAttachmentsTable extends CaseOwned {
  filename: string;
  media_type: string;
  size: number;
  sha256: Uint8Array;
  description: string | null;
}

export interface RescueOperationsTable extends CaseOwned {
  started_at: Timestamp;
  ended_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  unit: string;
  place: string | null;
  result: string;
  victims_freed: number;
  suspects_arrested: number;
  casualties: ColumnType<{ victims: number; officers: number; suspects: number }, string, string>;
  summary: string;
}

export interface CaseChargesTable extends CaseOwned {
  updated_at: Timestamp;
  person_id: string | null;
  offence: string;
  legal_provision: string;
  court: string | null;
  court_case_number: string | null;
  stage: string;
  verdict: string | null;
  verdict_date: ColumnType<Date | null, string | null, string | null>;
  sentence: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  appeal: string;
}

export interface NodeKeysTable {
  kid: string;
  use: string;
  public_jwk: ColumnType<Record<string, unknown>, string, string>;
  private_sealed: string;
  created_at: Timestamp;
  retired_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface PeersTable {
  node_id: string;
  name: string;
  endpoint: string;
  descriptor: string;
  issued_at: Timestamp;
  signing_kid: string;
  signing_jwk: ColumnType<Record<string, unknown>, string, string>;
  encryption_kid: string;
  encryption_jwk: ColumnType<Record<string, unknown>, string, string>;
  status: string;
  status_reason: string | null;
  imported_at: Timestamp;
  imported_by: string | null;
  approved_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  approved_by: string | null;
  updated_at: Timestamp;
  previous_signing_kid: ColumnType<string | null, string | null | undefined, string | null>;
  previous_signing_jwk: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  previous_encryption_kid: ColumnType<string | null, string | null | undefined, string | null>;
  previous_encryption_jwk: ColumnType<
    Record<string, unknown> | null,
    string | null | undefined,
    string | null
  >;
  previous_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  refreshed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface OutboxTable {
  id: string;
  recipient: string;
  mtype: string;
  mversion: number;
  thread: string;
  tlp: string;
  handling: string[];
  body: ColumnType<unknown, string, string>;
  case_id: string | null;
  named_recipients: ColumnType<string[], string[] | undefined, string[]>;
  /** H3: the sender's other restrictions, in words (null without H3). */
  restrictions: ColumnType<string | null, string | null | undefined, string | null>;
  forwarded_from: string | null;
  created_at: Timestamp;
  created_by: string | null;
  expires_at: Timestamp;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  done_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  receipt: string | null;
}

export interface InboxTable {
  id: string;
  sender: string;
  mtype: string;
  mversion: number;
  thread: string;
  tlp: string;
  handling: string[];
  body: ColumnType<unknown, string, string>;
  named_recipients: ColumnType<string[], string[] | undefined, string[]>;
  /** H3: the sender's other restrictions, in words (null without H3). */
  restrictions: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: Timestamp;
  received_at: Timestamp;
  envelope: string;
}

export interface StatReturnsTable {
  id: string;
  year: number;
  revision: number;
  status: string;
  opened_by: string | null;
  opened_at: Timestamp;
  computed_at: Timestamp;
  tables: ColumnType<unknown, string, string>;
  notes: ColumnType<{ general: string | null; issues: Record<string, string> }, string | undefined, string>;
  questionnaire: ColumnType<unknown, string | null | undefined, string | null>;
  questionnaire_version: number;
  min_cell: number | null;
  population: ColumnType<string | null, number | null | undefined, number | null>;
  submitted_by: string | null;
  submitted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  message_id: string | null;
  sdmx_csv: string | null;
  acknowledged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  acknowledgement: string | null;
}

export interface StatReceivedReturnsTable {
  message_id: string;
  sender: string;
  return_id: string;
  year: number;
  revision: number;
  received_at: Timestamp;
  sdmx_csv: string;
  questionnaire_version: number;
  questionnaire: ColumnType<unknown, string, string>;
  notes: ColumnType<unknown, string, string>;
  observations: number;
  status: string;
  reason: string | null;
}

export interface HitQueriesTable {
  id: string;
  case_id: string;
  created_at: Timestamp;
  created_by: string | null;
  purpose: string;
  legal_basis: string;
  items: ColumnType<{ key: string; type: string; label: string }[], string, string>;
}

export interface HitAnswersTable {
  query_id: string;
  peer: string;
  message_id: string;
  status: string;
  reason: string | null;
  results: ColumnType<
    { ref: number; answered: boolean; hits: { reference: string; score: number }[] }[],
    string | undefined,
    string
  >;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface HitFollowupsTable {
  id: string;
  peer: string;
  query_message_id: string;
  query_ref: string;
  item_ref: number;
  item_type: string;
  score: number;
  case_id: string;
  record_type: string;
  record_id: string;
  matched: string;
  purpose: string;
  legal_basis: string;
  asker_case_reference: string | null;
  status: string;
  decided_by: string | null;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  information: string | null;
  reason: string | null;
  created_at: Timestamp;
}

export interface HitDisclosuresTable {
  reference: string;
  query_id: string;
  peer: string;
  decision: string;
  information: string | null;
  reason: string | null;
  message_id: string;
  received_at: Timestamp;
}

export interface MessageCaseLinksTable {
  message_id: string;
  case_id: string;
  linked_at: Timestamp;
  linked_by: string;
  opened_case: ColumnType<boolean, boolean | undefined, never>;
}

export interface ApprovalsTable {
  id: string;
  kind: "password_reset" | "mfa_reset" | "roles_grant" | "user_create" | "token_create";
  target_user_id: string | null;
  target_username: string;
  payload: Json;
  requested_by: string | null;
  requested_by_label: string;
  requested_at: Timestamp;
  expires_at: Timestamp;
  decision: "approved" | "refused" | "expired" | "break_glass" | null;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
}

export interface SecurityNoticesTable {
  id: string;
  user_id: string;
  kind: "password_reset" | "mfa_reset" | "roles_grant" | "user_create" | "token_create";
  approval_id: string | null;
  requested_by_label: string;
  approved_by_label: string | null;
  at: Timestamp;
  break_glass: Generated<boolean>;
  reason: string | null;
  acknowledged_at: Timestamp | null;
}

export interface Database {
  approvals: ApprovalsTable;
  security_notices: SecurityNoticesTable;
  // The statistics engine declares its own two tables (src/engines/statistics/db.ts).
  stat_imports: StatImportRow;
  stat_observations: StatObservationRow;
  message_case_links: MessageCaseLinksTable;
  hit_queries: HitQueriesTable;
  hit_answers: HitAnswersTable;
  hit_followups: HitFollowupsTable;
  hit_disclosures: HitDisclosuresTable;
  stat_returns: StatReturnsTable;
  stat_received_returns: StatReceivedReturnsTable;
  outbox: OutboxTable;
  inbox: InboxTable;
  peers: PeersTable;
  node_keys: NodeKeysTable;
  attachment_blobs: AttachmentBlobsTable;
  case_attachments: CaseAttachmentsTable;
  case_charges: CaseChargesTable;
  case_groups: CaseGroupsTable;
  case_selectors: CaseSelectorsTable;
  case_vehicles: CaseVehiclesTable;
  rescue_operations: RescueOperationsTable;
  case_persons: CasePersonsTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_team: CaseTeamTable;
  crisis_log: CrisisLogTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_throttle: SignInThrottleTable;
  known_devices: KnownDevicesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  refusals: RefusalsTable;
}
