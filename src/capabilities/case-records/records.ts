/**
 * The other records of a case (issue 3): organised groups, vehicles, selectors,
 * attachments, rescue operations and charges. Every one of them belongs to a
 * case and follows its need-to-know: to anyone off the team, it does not exist.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import {
  type AttachmentView,
  type ChargeInput,
  type ChargeView,
  type GroupInput,
  type GroupView,
  normalisePlate,
  type RescueInput,
  type RescueView,
  type SelectorInput,
  type SelectorView,
  type VehicleInput,
  type VehicleView,
} from "../../domain/case-records.ts";
import { AppError } from "../../domain/errors.ts";
import { normaliseIban, normalisePhone, normaliseWallet } from "../../domain/selectors.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { newId } from "../../platform/ids.ts";
import { caseWith } from "../cases/index.ts";
import {
  presentAttachment,
  presentCharge,
  presentGroup,
  presentRescue,
  presentSelector,
  presentVehicle,
} from "./presenters.ts";

export interface CaseRecords {
  groups: GroupView[];
  vehicles: VehicleView[];
  selectors: SelectorView[];
  attachments: AttachmentView[];
  rescues: RescueView[];
  charges: ChargeView[];
}

const owned = (tx: Ctx, caseId: string) => ({
  id: newId(),
  case_id: caseId,
  created_at: new Date(),
  created_by: tx.actor.userId,
});

/** A person named by a record must be a person of the same case. */
async function checkPerson(tx: Ctx, caseId: string, personId: string | undefined, path: string) {
  if (!personId) return;
  const p = await tx.db
    .selectFrom("case_persons")
    .select("id")
    .where("id", "=", personId)
    .where("case_id", "=", caseId)
    .executeTakeFirst();
  if (!p) throw AppError.field(path, "is not a person of this case");
}

const chargeColumns = [
  "id",
  "case_id",
  "created_at",
  "created_by",
  "updated_at",
  "person_id",
  "offence",
  "legal_provision",
  "court",
  "court_case_number",
  "stage",
  "verdict",
  "sentence",
  "appeal",
] as const;
const verdictDateText = sql<string | null>`verdict_date::text`.as("verdict_date");

/** Everything recorded on a case besides its persons and crisis log, in one audited read. */
export async function readRecords(ctx: Ctx, caseId: string, purpose: string): Promise<CaseRecords> {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.read");
    const [groups, vehicles, selectors, attachments, rescues, charges] = await Promise.all([
      tx.db
        .selectFrom("case_groups")
        .selectAll()
        .where("case_id", "=", caseId)
        .orderBy("created_at")
        .execute(),
      tx.db
        .selectFrom("case_vehicles")
        .selectAll()
        .where("case_id", "=", caseId)
        .orderBy("created_at")
        .execute(),
      tx.db
        .selectFrom("case_selectors")
        .selectAll()
        .where("case_id", "=", caseId)
        .orderBy("created_at")
        .execute(),
      tx.db
        .selectFrom("case_attachments")
        .selectAll()
        .where("case_id", "=", caseId)
        .orderBy("created_at")
        .execute(),
      tx.db
        .selectFrom("rescue_operations")
        .selectAll()
        .where("case_id", "=", caseId)
        .orderBy("started_at")
        .execute(),
      tx.db
        .selectFrom("case_charges")
        .select(chargeColumns)
        .select(verdictDateText)
        .where("case_id", "=", caseId)
        .orderBy("created_at")
        .execute(),
    ]);
    await audit(tx, {
      event: "case_records.viewed",
      targetType: "case",
      targetId: caseId,
      purpose,
      details: {
        groups: groups.length,
        vehicles: vehicles.length,
        selectors: selectors.length,
        attachments: attachments.length,
        rescues: rescues.length,
        charges: charges.length,
      },
    });
    return {
      groups: groups.map(presentGroup),
      vehicles: vehicles.map(presentVehicle),
      selectors: selectors.map(presentSelector),
      attachments: attachments.map(presentAttachment),
      rescues: rescues.map(presentRescue),
      charges: charges.map(presentCharge),
    };
  });
}

export async function addGroup(ctx: Ctx, caseId: string, input: GroupInput): Promise<GroupView> {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.records");
    const row = await tx.db
      .insertInto("case_groups")
      .values({
        ...owned(tx, caseId),
        name: input.name.trim(),
        aliases: [...new Set(input.aliases.map((a) => a.trim()))],
        countries: [...new Set(input.countries)],
        description: input.description?.trim() || null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "group.added",
      targetType: "case",
      targetId: caseId,
      details: { groupId: row.id },
    });
    return presentGroup(row);
  });
}

export async function addVehicle(ctx: Ctx, caseId: string, input: VehicleInput): Promise<VehicleView> {
  const plate = input.plate?.trim() || null;
  const plateNormalised = plate ? normalisePlate(plate) : null;
  if (plate && !plateNormalised) throw AppError.field("body.plate", "holds no letters or digits");
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.records");
    const row = await tx.db
      .insertInto("case_vehicles")
      .values({
        ...owned(tx, caseId),
        plate,
        plate_normalised: plateNormalised,
        plate_country: input.plateCountry ?? null,
        make: input.make?.trim() || null,
        model: input.model?.trim() || null,
        colour: input.colour?.trim() || null,
        use: input.use,
        description: input.description?.trim() || null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "vehicle.added",
      targetType: "case",
      targetId: caseId,
      details: { vehicleId: row.id, use: row.use },
    });
    return presentVehicle(row);
  });
}

function normaliseSelector(input: SelectorInput): string {
  const n =
    input.kind === "phone"
      ? normalisePhone(input.value, input.region)
      : input.kind === "iban"
        ? normaliseIban(input.value)
        : normaliseWallet(input.asset, input.value);
  if (!n.ok) throw AppError.field("body.value", n.message);
  return n.value;
}

/** A phone, bank account or wallet of the case, normalised so that search and hit/no-hit find it. */
export async function addSelector(ctx: Ctx, caseId: string, input: SelectorInput): Promise<SelectorView> {
  const value = normaliseSelector(input);
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.records");
    await checkPerson(tx, caseId, input.personId, "body.personId");
    const row = await tx.db
      .insertInto("case_selectors")
      .values({
        ...owned(tx, caseId),
        kind: input.kind,
        value,
        asset: input.kind === "crypto_wallet" ? input.asset : null,
        person_id: input.personId ?? null,
        note: input.note?.trim() || null,
      })
      .onConflict((oc) => oc.columns(["case_id", "kind", "value"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw AppError.field("body.value", `is already recorded on this case as ${value}`, "conflict");
    await audit(tx, {
      event: "selector.added",
      targetType: "case",
      targetId: caseId,
      details: { selectorId: row.id, kind: row.kind },
    });
    return presentSelector(row);
  });
}

/** A media type as declared by the uploader, if it is one; otherwise opaque bytes. */
function mediaTypeOf(header: string | undefined): string {
  const t = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(t)
    ? t
    : "application/octet-stream";
}

/**
 * Store a file on the case. The node computes its SHA-256 on arrival and keeps
 * the content in its own database (content-addressed: the same bytes are kept
 * once), so that backups carry attachments and nothing is left on a disk path.
 */
export async function addAttachment(
  ctx: Ctx,
  caseId: string,
  input: {
    filename: string;
    description?: string | undefined;
    mediaType?: string | undefined;
    content: Buffer;
  },
): Promise<AttachmentView> {
  if (input.content.length === 0) throw AppError.field("body", "is empty: the file has no content");
  if (input.content.length > ctx.config.attachmentMaxBytes) {
    throw new AppError(
      "payload_too_large",
      `body: the file is larger than the ${ctx.config.attachmentMaxBytes} bytes this node accepts`,
      [{ path: "body", message: `must be at most ${ctx.config.attachmentMaxBytes} bytes` }],
    );
  }
  const sha256 = createHash("sha256").update(input.content).digest();
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.records");
    await tx.db
      .insertInto("attachment_blobs")
      .values({ sha256, size: input.content.length, content: input.content })
      .onConflict((oc) => oc.column("sha256").doNothing())
      .execute();
    const row = await tx.db
      .insertInto("case_attachments")
      .values({
        ...owned(tx, caseId),
        filename: input.filename.trim(),
        media_type: mediaTypeOf(input.mediaType),
        size: input.content.length,
        sha256,
        description: input.description?.trim() || null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "attachment.added",
      targetType: "case",
      targetId: caseId,
      details: { attachmentId: row.id, sha256: sha256.toString("hex"), size: input.content.length },
    });
    return presentAttachment(row);
  });
}

/** The file and its content; the read is audited with its purpose. */
export async function readAttachment(ctx: Ctx, caseId: string, attachmentId: string, purpose: string) {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.read");
    const row = await tx.db
      .selectFrom("case_attachments as a")
      .innerJoin("attachment_blobs as b", "b.sha256", "a.sha256")
      .select([
        "a.id",
        "a.filename",
        "a.media_type",
        "a.size",
        "a.sha256",
        "a.description",
        "a.created_at",
        "a.created_by",
        "b.content",
      ])
      .where("a.id", "=", attachmentId)
      .where("a.case_id", "=", caseId)
      .executeTakeFirst();
    if (!row) throw AppError.notFound("attachment");
    const { content: stored, ...meta } = row;
    const content = Buffer.from(stored);
    // The content is checked against the hash taken on arrival before it leaves the node.
    if (!createHash("sha256").update(content).digest().equals(Buffer.from(row.sha256))) {
      throw new Error(`attachment ${attachmentId}: content does not match its SHA-256`);
    }
    await audit(tx, {
      event: "attachment.downloaded",
      targetType: "case",
      targetId: caseId,
      purpose,
      details: { attachmentId },
    });
    return { meta: presentAttachment(meta), content };
  });
}

/** Rescue operations are the crisis team's to record; once recorded they are evidence and stay as they are. */
export async function recordRescue(ctx: Ctx, caseId: string, input: RescueInput): Promise<RescueView> {
  const startedAt = new Date(input.startedAt);
  if (startedAt.getTime() > Date.now() + 60_000)
    throw AppError.field("body.startedAt", "must not be in the future");
  return inTransaction(ctx, async (tx) => {
    const { c } = await caseWith(tx, caseId, "rescue.record");
    if (c.occurred_at && startedAt < new Date(c.occurred_at)) {
      throw AppError.field("body.startedAt", "must not be before the incident occurred");
    }
    const row = await tx.db
      .insertInto("rescue_operations")
      .values({
        ...owned(tx, caseId),
        started_at: startedAt,
        ended_at: input.endedAt ? new Date(input.endedAt) : null,
        unit: input.unit.trim(),
        place: input.place?.trim() || null,
        result: input.result,
        victims_freed: input.victimsFreed,
        suspects_arrested: input.suspectsArrested,
        casualties: JSON.stringify(input.casualties),
        summary: input.summary,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "rescue.recorded",
      targetType: "case",
      targetId: caseId,
      details: { rescueId: row.id, result: row.result, victimsFreed: row.victims_freed },
    });
    return presentRescue(row);
  });
}

function chargeValues(input: ChargeInput) {
  return {
    person_id: input.personId ?? null,
    offence: input.offence.trim(),
    legal_provision: input.legalProvision.trim(),
    court: input.court?.trim() || null,
    court_case_number: input.courtCaseNumber?.trim() || null,
    stage: input.stage,
    verdict: input.verdict ?? null,
    verdict_date: input.verdictDate ?? null,
    sentence: input.sentence ? JSON.stringify(input.sentence) : null,
    appeal: input.appeal,
  };
}

function checkVerdictDate(input: ChargeInput) {
  if (input.verdictDate && new Date(`${input.verdictDate}T00:00:00Z`).getTime() > Date.now()) {
    throw AppError.field("body.verdictDate", "must not be in the future");
  }
}

async function selectCharge(tx: Ctx, id: string): Promise<ChargeView> {
  const row = await tx.db
    .selectFrom("case_charges")
    .select(chargeColumns)
    .select(verdictDateText)
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return presentCharge(row);
}

export async function addCharge(ctx: Ctx, caseId: string, input: ChargeInput): Promise<ChargeView> {
  checkVerdictDate(input);
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.prosecution");
    await checkPerson(tx, caseId, input.personId, "body.personId");
    const now = new Date();
    const base = owned(tx, caseId);
    await tx.db
      .insertInto("case_charges")
      .values({ ...base, updated_at: now, ...chargeValues(input) })
      .execute();
    await audit(tx, {
      event: "charge.added",
      targetType: "case",
      targetId: caseId,
      details: { chargeId: base.id, stage: input.stage, verdict: input.verdict ?? null },
    });
    return selectCharge(tx, base.id);
  });
}

/** The charge as it stands now: the prosecution moves it through its stages; each change is audited. */
export async function updateCharge(
  ctx: Ctx,
  caseId: string,
  chargeId: string,
  input: ChargeInput,
): Promise<ChargeView> {
  checkVerdictDate(input);
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.prosecution");
    await checkPerson(tx, caseId, input.personId, "body.personId");
    const before = await tx.db
      .selectFrom("case_charges")
      .select(["stage", "verdict", "appeal"])
      .where("id", "=", chargeId)
      .where("case_id", "=", caseId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw AppError.notFound("charge");
    await tx.db
      .updateTable("case_charges")
      .set({ ...chargeValues(input), updated_at: new Date() })
      .where("id", "=", chargeId)
      .execute();
    await audit(tx, {
      event: "charge.updated",
      targetType: "case",
      targetId: caseId,
      details: {
        chargeId,
        from: before,
        to: { stage: input.stage, verdict: input.verdict ?? null, appeal: input.appeal },
      },
    });
    return selectCharge(tx, chargeId);
  });
}

/**
 * What is wrong with a stored attachment, if anything: its content is gone, does not hash to the
 * SHA-256 recorded when it was attached, or is not the recorded size.
 */
function attachmentFault(a: { sha256: Uint8Array; size: number; content: Uint8Array | null }): string | null {
  if (!a.content) return "its content is missing";
  if (!createHash("sha256").update(a.content).digest().equals(Buffer.from(a.sha256)))
    return "content does not match its SHA-256";
  if (a.content.byteLength !== a.size) return "size does not match";
  return null;
}

/** Attachments are read with their content (up to the attachment limit each): a few at a time. */
const ATTACHMENT_PAGE = 5;

/**
 * Check each stored attachment — of one case, or of every case — against its SHA-256 and size
 * (the audit verification and the case export both ask). Names the case of each broken one.
 */
export async function checkAttachments(
  ctx: Ctx,
  opts: { caseId?: string; signal?: AbortSignal } = {},
): Promise<{ count: number; broken: { case: string; attachment: string; reason: string }[] }> {
  const broken: { case: string; attachment: string; reason: string }[] = [];
  let count = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    opts.signal?.throwIfAborted();
    let q = ctx.db
      .selectFrom("case_attachments as a")
      .innerJoin("cases as c", "c.id", "a.case_id")
      .leftJoin("attachment_blobs as b", "b.sha256", "a.sha256")
      .select(["a.id", "a.sha256", "a.size", "c.reference", "b.content"])
      .where("a.id", ">", after)
      .orderBy("a.id")
      .limit(ATTACHMENT_PAGE);
    if (opts.caseId) q = q.where("a.case_id", "=", opts.caseId);
    const page = await q.execute();
    for (const a of page) {
      count++;
      const reason = attachmentFault(a);
      if (reason) broken.push({ case: a.reference, attachment: a.id, reason });
    }
    if (page.length < ATTACHMENT_PAGE) break;
    after = page.at(-1)?.id ?? after;
  }
  return { count, broken };
}
