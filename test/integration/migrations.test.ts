/**
 * The guard of the migration rule (src/platform/db/migrations/index.ts): append;
 * never edit; changing a list is a new migration.
 *
 * Every migration runs in order on an empty database (PGlite, or a fresh
 * database on TEST_DATABASE_URL), and the schema it leaves is compared with the
 * schema the code expects: each CHECK that lists allowed values against the
 * domain's list (so a value added to the domain without a migration fails here,
 * naming the constraint and the value), and the tables and columns against the
 * `Database` interface of src/platform/db/schema.ts, read with the TypeScript
 * compiler. The allowed values are parsed out of pg_get_constraintdef, not
 * compared as text, so that PostgreSQL 15 and PGlite (18) give the same result.
 * Then the migrations themselves: nothing imported from outside their folder,
 * and the statements of every shipped migration pinned by their hash.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { CASE_STATUSES, OUTCOMES, TRANSITIONS } from "../../src/domain/case-lifecycle.ts";
import {
  APPEALS,
  PROSECUTION_STAGES,
  RESCUE_RESULTS,
  SELECTOR_KINDS,
  VEHICLE_USES,
  VERDICTS,
} from "../../src/domain/case-records.ts";
import { CASE_ROLES, CRISIS_LOG_KINDS, PERSON_ROLES, TLP } from "../../src/domain/cases.ts";
import { MESSAGE_STATUSES, PEER_STATUSES } from "../../src/domain/federation.ts";
import { FOLLOWUP_STATUSES, HIT_ANSWER_STATUSES } from "../../src/domain/hits.ts";
import { RETURN_STATUSES } from "../../src/domain/returns.ts";
import { ROLES } from "../../src/domain/roles.ts";
import { APPROVAL_DECISIONS, APPROVAL_KINDS, LANGUAGES } from "../../src/domain/schemas.ts";
import { openDatabase, runMigrations } from "../../src/platform/db/index.ts";
import { APP_ROLE, MIGRATION_NAMES, MIGRATIONS } from "../../src/platform/db/migrations/index.ts";
import { freshDatabase } from "../helpers/db.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../src/platform/db/migrations/", import.meta.url));
const SCHEMA_FILE = fileURLToPath(new URL("../../src/platform/db/schema.ts", import.meta.url));
const RULE = "see the rule at the top of src/platform/db/migrations/index.ts";

type Values = readonly string[];

/**
 * What each allowed-values CHECK must allow, by `table.column`: the domain list
 * it follows (named, for the message), or the values themselves where no domain
 * list exists (then a change is deliberate: a new migration and an edit here).
 */
const ALLOWED: Record<string, { follows: string; values: Values }> = {
  "users.roles": { follows: "ROLES (src/domain/roles.ts)", values: ROLES },
  "users.language": { follows: "LANGUAGES (src/domain/schemas.ts)", values: LANGUAGES },
  "users.status": { follows: "ALLOWED in this test", values: ["active", "disabled"] },
  "sessions.stage": { follows: "ALLOWED in this test", values: ["mfa", "enrol", "full"] },
  "cases.status": { follows: "CASE_STATUSES (src/domain/case-lifecycle.ts)", values: CASE_STATUSES },
  "cases.outcome": { follows: "OUTCOMES (src/domain/case-lifecycle.ts)", values: OUTCOMES },
  "cases.tlp": { follows: "TLP (src/domain/cases.ts)", values: TLP },
  "case_team.case_role": { follows: "CASE_ROLES (src/domain/cases.ts)", values: CASE_ROLES },
  "crisis_log.kind": { follows: "CRISIS_LOG_KINDS (src/domain/cases.ts)", values: CRISIS_LOG_KINDS },
  "case_persons.role": { follows: "PERSON_ROLES (src/domain/cases.ts)", values: PERSON_ROLES },
  "case_vehicles.use": { follows: "VEHICLE_USES (src/domain/case-records.ts)", values: VEHICLE_USES },
  "case_selectors.kind": { follows: "SELECTOR_KINDS (src/domain/case-records.ts)", values: SELECTOR_KINDS },
  "rescue_operations.result": {
    follows: "RESCUE_RESULTS (src/domain/case-records.ts)",
    values: RESCUE_RESULTS,
  },
  "case_charges.stage": {
    follows: "PROSECUTION_STAGES (src/domain/case-records.ts)",
    values: PROSECUTION_STAGES,
  },
  "case_charges.verdict": { follows: "VERDICTS (src/domain/case-records.ts)", values: VERDICTS },
  "case_charges.appeal": { follows: "APPEALS (src/domain/case-records.ts)", values: APPEALS },
  "node_keys.use": { follows: "ALLOWED in this test", values: ["sig", "enc"] },
  "peers.status": { follows: "PEER_STATUSES (src/domain/federation.ts)", values: PEER_STATUSES },
  "outbox.status": { follows: "MESSAGE_STATUSES (src/domain/federation.ts)", values: MESSAGE_STATUSES },
  "hit_answers.status": { follows: "HIT_ANSWER_STATUSES (src/domain/hits.ts)", values: HIT_ANSWER_STATUSES },
  "hit_followups.status": { follows: "FOLLOWUP_STATUSES (src/domain/hits.ts)", values: FOLLOWUP_STATUSES },
  "hit_disclosures.decision": { follows: "ALLOWED in this test", values: ["approved", "refused"] },
  "stat_imports.format": {
    follows: "ALLOWED in this test",
    values: ["unodc-cts", "eurostat-tsv", "sdmx-csv", "sdmx-json", "return"],
  },
  "stat_observations.area_level": { follows: "ALLOWED in this test", values: ["country", "subnational"] },
  "stat_returns.status": { follows: "RETURN_STATUSES (src/domain/returns.ts)", values: RETURN_STATUSES },
  "stat_received_returns.status": { follows: "ALLOWED in this test", values: ["accepted", "rejected"] },
  "sign_in_throttle.kind": {
    follows: "ALLOWED in this test",
    values: ["address", "device", "account", "code"],
  },
  "approvals.kind": { follows: "APPROVAL_KINDS (src/domain/schemas.ts)", values: APPROVAL_KINDS },
  "approvals.decision": { follows: "APPROVAL_DECISIONS (src/domain/schemas.ts)", values: APPROVAL_DECISIONS },
  "security_notices.kind": { follows: "APPROVAL_KINDS (src/domain/schemas.ts)", values: APPROVAL_KINDS },
};

/** CHECKs that hold a list inside a larger expression, by constraint name: each list in order. */
const LISTS_IN_CHECKS: Record<string, { follows: string; lists: readonly Values[] }> = {
  // A case has no outcome exactly while it can still be resolved.
  "cases.cases_outcome_when_resolved": {
    follows: "the statuses that may move to resolved (TRANSITIONS, src/domain/case-lifecycle.ts)",
    lists: [CASE_STATUSES.filter((s) => TRANSITIONS[s].includes("resolved"))],
  },
};

/**
 * The statements of every shipped migration, by SHA-256 of their JSON. A node
 * that applied one never runs it again, so these never change: only new lines.
 */
const SHIPPED: Record<string, string> = {
  "001_foundation": "7c17d0c4b753f922076d8d5bb394bf394e74896d75a46b34f39c0df717512488",
  "002_cases": "8992906a06eaf284fbb3f069c11c35d484197d540609b3b1c48eb515b71804e8",
  "003_case_records": "2d4b7481ac0626f8e04874e19b9ff6129c106860a38a5c52c690e6a39ed8dfa6",
  "004_federation": "a9e31be86c92b0c84492e98482c6280450317aea6b7903e7e7feca25205f1504",
  "005_message_links": "4e29fcc83af87cfd3ffa832b695cb85f5f8518f09d8cda030fc53f2af18a2eaf",
  "006_key_rotation": "f9c643ce2f9d836d2b5c3bf9d400fdeb64df1246b9fcbcc9de796d27e640c5a2",
  "008_handling_restrictions": "a398e41a7755a85e2fe7a4f64df892ad4740372840bbb58bd36f05eabbc0f29d",
  "009_hits": "44af4b1717233bc96fa441e44a5032cdcbf94d23641f7e6c4405ebe1d463c1e2",
  "010_statistics": "999129a5c080f45717aeb3a97be4aeb534d6ebfc90e60dc6c0931a0f79a4440b",
  "011_returns": "dac93f2d91819cfe8868a458d57b29b2198c4a21ecd0efb648eab8f1a44f6254",
  "012_approvals": "0c30f35841438aded651db341ceb1bce1280419e8ea364969cab1769f7443bc6",
  "013_sign_in": "212e91087430a0a358d8d57ab4a0b3547b87547f6d302b139f19e305780e5009",
  "014_refusals": "e8e400441a27e5022bfe1f1bbf4bae904639cbf6e288c3864ebdc3daa1bcd563",
};

/** Columns whose type in schema.ts is knowingly not what the driver returns, with why. */
const KNOWN_TYPE_MISMATCHES: Record<string, string> = {
  "stat_returns.population":
    "schema.ts selects a string; the int8 parser gives a number, and returns.ts reads it with Number()",
};

interface CatalogColumn {
  table: string;
  column: string;
  type: string;
  not_null: boolean;
}
interface CatalogCheck {
  table: string;
  name: string;
  def: string;
}

let applied: string[] = [];
let columns: CatalogColumn[] = [];
let checks: CatalogCheck[] = [];
let readable: { table: string; ok: boolean }[] = [];
let roleExists = false;

beforeAll(async () => {
  const fresh = await freshDatabase();
  try {
    const db = await openDatabase(fresh.target, { migrate: false, asOwner: true });
    try {
      applied = await runMigrations(db.kysely);
      columns = (
        await sql<CatalogColumn>`
          SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
                 a.attnotnull AS not_null
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
             AND c.relname NOT IN ('kysely_migration', 'kysely_migration_lock')
           ORDER BY c.relname, a.attnum`.execute(db.kysely)
      ).rows;
      checks = (
        await sql<CatalogCheck>`
          SELECT r.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def
            FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
           WHERE n.nspname = 'public' AND k.contype = 'c'
           ORDER BY r.relname, k.conname`.execute(db.kysely)
      ).rows;
      roleExists =
        (await sql`SELECT 1 FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(db.kysely)).rows.length === 1;
      readable = (
        await sql<{ table: string; ok: boolean }>`
          SELECT c.relname AS table, has_table_privilege(${APP_ROLE}, c.oid, 'SELECT') AS ok
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
             AND c.relname <> 'kysely_migration_lock' -- the migrator's, which runs as the owner
        `.execute(db.kysely)
      ).rows;
    } finally {
      await db.close();
    }
  } finally {
    await fresh.drop();
  }
});

// ---- parsing the allowed values out of pg_get_constraintdef ----------------

const ARRAY_LITERAL = /ARRAY\[((?:\s*'(?:[^']|'')*'(?:::[a-z ]+)?\s*,?)*)\](?:::[a-z ]+\[\])?/g;
const BRACE_LITERAL = /'\{((?:[^}']|'')*)\}'::[a-z ]+\[\]/g;

/**
 * Every list of values in a CHECK's definition, in order; and the column, when
 * the whole check is `col IN (…)` or `col <@ ARRAY[…]` (an allowed-values check).
 */
function parseCheck(def: string): { column: string | undefined; lists: string[][] } {
  const lists: string[][] = [];
  const marked = def
    .replace(ARRAY_LITERAL, (_, items: string) => {
      lists.push([...items.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? "").replaceAll("''", "'")));
      return " $LIST ";
    })
    .replace(BRACE_LITERAL, (_, items: string) => {
      lists.push(
        items.split(",").map((s) =>
          s
            .trim()
            .replaceAll("''", "'")
            .replace(/^"(.*)"$/, "$1"),
        ),
      );
      return " $LIST ";
    });
  const shape = marked
    .replace(/^CHECK\s*/, "")
    .replace(/::[a-z ]+(\[\])?/g, "")
    .replace(/[()\s]/g, "");
  const column = /^"?([a-z_][a-z0-9_]*)"?(?:=ANY|<@)\$LIST$/.exec(shape)?.[1];
  return { column, lists };
}

const show = (xs: Values) => xs.map((x) => `'${x}'`).join(", ");

const NEW_MIGRATION = `changing a list is a new migration that replaces the constraint (${RULE})`;

function compareValues(
  where: string,
  follows: string,
  found: Values,
  expected: Values,
  hint = NEW_MIGRATION,
) {
  return [
    ...expected
      .filter((v) => !found.includes(v))
      .map((v) => `${where} does not allow '${v}', which ${follows} has: ${hint}`),
    ...found
      .filter((v) => !expected.includes(v))
      .map((v) => `${where} allows '${v}', which ${follows} does not have: ${hint}`),
  ];
}

// ---- reading the Database interface --------------------------------------

interface CodeColumn {
  nullable: boolean;
  /** The non-null members of the select type. */
  parts: ts.Type[];
  shown: string;
}

function readDatabaseInterface(): { checker: ts.TypeChecker; tables: Map<string, Map<string, CodeColumn>> } {
  const program = ts.createProgram([SCHEMA_FILE], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(SCHEMA_FILE);
  const decl = file?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "Database",
  );
  if (!decl) throw new Error(`no interface Database in ${SCHEMA_FILE}`);
  // Kysely's ColumnType<S, I, U> carries the select type S in `__select__`; `T | null` distributes.
  const selectParts = (t: ts.Type): ts.Type[] =>
    (t.isUnion() ? t.types : [t]).flatMap((p) => {
      const s = p.getProperty("__select__");
      return s ? selectParts(checker.getTypeOfSymbolAtLocation(s, decl)) : [p];
    });
  const tables = new Map<string, Map<string, CodeColumn>>();
  for (const table of checker.getTypeAtLocation(decl).getProperties()) {
    const cols = new Map<string, CodeColumn>();
    for (const col of checker.getTypeOfSymbolAtLocation(table, decl).getProperties()) {
      const parts = selectParts(checker.getTypeOfSymbolAtLocation(col, decl));
      const nonNull = parts.filter((p) => !(p.flags & ts.TypeFlags.Null));
      cols.set(col.name, {
        nullable: nonNull.length < parts.length,
        parts: nonNull,
        shown: parts.map((p) => checker.typeToString(p)).join(" | "),
      });
    }
    tables.set(table.name, cols);
  }
  return { checker, tables };
}

/** What the driver returns for each SQL type (int8 is parsed as a number; numeric stays a string). */
function typeRule(checker: ts.TypeChecker, sqlType: string): ((t: ts.Type) => boolean) | undefined {
  const stringy = (t: ts.Type) => Boolean(t.flags & ts.TypeFlags.StringLike);
  const named = (name: string) => (t: ts.Type) => t.getSymbol()?.name === name;
  const rules: Record<string, (t: ts.Type) => boolean> = {
    text: stringy,
    uuid: stringy,
    numeric: stringy,
    integer: (t) => Boolean(t.flags & ts.TypeFlags.NumberLike),
    bigint: (t) => Boolean(t.flags & ts.TypeFlags.NumberLike),
    real: (t) => Boolean(t.flags & ts.TypeFlags.NumberLike),
    "double precision": (t) => Boolean(t.flags & ts.TypeFlags.NumberLike),
    boolean: (t) => Boolean(t.flags & ts.TypeFlags.BooleanLike),
    "timestamp with time zone": named("Date"),
    date: named("Date"),
    bytea: named("Uint8Array"),
    "text[]": (t) => checker.isArrayType(t) && checker.getTypeArguments(t as ts.TypeReference).every(stringy),
    jsonb: () => true,
  };
  return rules[sqlType];
}

// ---- the tests -------------------------------------------------------------

describe("the migrations, run in order on an empty database", () => {
  it("all apply, in the order of their names", () => {
    expect(applied).toEqual([...MIGRATION_NAMES]);
  });

  it("allow in each CHECK exactly the values the domain allows", () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const check of checks) {
      const { column, lists } = parseCheck(check.def);
      if (lists.length === 0) continue;
      const where = `${check.table}.${column ?? check.name} (constraint ${check.name})`;
      if (column) {
        const key = `${check.table}.${column}`;
        if (seen.has(key)) problems.push(`${key} is limited by more than one CHECK: replace the constraint`);
        seen.add(key);
        const expected = ALLOWED[key];
        if (!expected)
          problems.push(
            `${where} allows ${show(lists[0] ?? [])}, but this test does not know the list it follows: add "${key}" to ALLOWED in test/integration/migrations.test.ts`,
          );
        else problems.push(...compareValues(where, expected.follows, lists[0] ?? [], expected.values));
        continue;
      }
      const key = `${check.table}.${check.name}`;
      seen.add(key);
      const expected = LISTS_IN_CHECKS[key];
      if (!expected) {
        problems.push(
          `${where} holds the list(s) ${lists.map((l) => `[${show(l)}]`).join(" ")} (${check.def}), but this test does not know what they follow: add "${key}" to LISTS_IN_CHECKS in test/integration/migrations.test.ts`,
        );
        continue;
      }
      if (expected.lists.length !== lists.length)
        problems.push(`${where} holds ${lists.length} list(s), this test expects ${expected.lists.length}`);
      lists.forEach((found, i) => {
        problems.push(...compareValues(where, expected.follows, found, expected.lists[i] ?? []));
      });
    }
    for (const key of [...Object.keys(ALLOWED), ...Object.keys(LISTS_IN_CHECKS)])
      if (!seen.has(key))
        problems.push(`no CHECK in the database lists the values of ${key}, which this test expects`);
    expect(problems).toEqual([]);
  });

  it("build the tables and columns of the Database interface (src/platform/db/schema.ts)", () => {
    const { checker, tables } = readDatabaseInterface();
    const problems: string[] = [];
    const inDb = new Map<string, Map<string, CatalogColumn>>();
    for (const c of columns) {
      if (!inDb.has(c.table)) inDb.set(c.table, new Map());
      inDb.get(c.table)?.set(c.column, c);
    }
    for (const table of inDb.keys())
      if (!tables.has(table))
        problems.push(`table ${table} is in the database but not in the Database interface`);
    const stale = new Set(Object.keys(KNOWN_TYPE_MISMATCHES));
    for (const [table, codeCols] of tables) {
      const dbCols = inDb.get(table);
      if (!dbCols) {
        problems.push(`table ${table} is in the Database interface but no migration creates it`);
        continue;
      }
      for (const column of dbCols.keys())
        if (!codeCols.has(column))
          problems.push(`column ${table}.${column} is in the database but not in schema.ts`);
      for (const [column, code] of codeCols) {
        const key = `${table}.${column}`;
        const db = dbCols.get(column);
        if (!db) {
          problems.push(`column ${key} is in schema.ts but not in the database`);
          continue;
        }
        // `unknown` (a JSON column read as is) says nothing about null.
        const opaque = code.parts.some((p) => p.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any));
        if (!opaque && code.nullable === db.not_null)
          problems.push(
            `column ${key} is ${db.not_null ? "NOT NULL" : "nullable"} in the database but schema.ts selects ${code.shown}`,
          );
        const rule = typeRule(checker, db.type);
        if (!rule) {
          problems.push(
            `column ${key} has type ${db.type}, which this test has no rule for: add one to typeRule`,
          );
          continue;
        }
        const fits = code.parts.every(rule);
        if (key in KNOWN_TYPE_MISMATCHES) {
          if (fits) problems.push(`column ${key} now fits its type: remove it from KNOWN_TYPE_MISMATCHES`);
          stale.delete(key);
        } else if (!fits) {
          problems.push(`column ${key} is ${db.type} in the database but schema.ts selects ${code.shown}`);
        }
        // A literal union in schema.ts is a list too: it must be what the CHECK allows.
        const literals = code.parts
          .filter((p) => p.isStringLiteral())
          .map((p) => (p as ts.StringLiteralType).value);
        if (literals.length > 0 && literals.length === code.parts.length) {
          const check = ALLOWED[key];
          if (!check)
            problems.push(`column ${key} is a union of literals in schema.ts but no CHECK limits it`);
          else
            problems.push(
              ...compareValues(
                `schema.ts's type of ${key}`,
                "the CHECK",
                literals,
                check.values,
                "make them agree",
              ),
            );
        }
      }
    }
    for (const key of stale) problems.push(`KNOWN_TYPE_MISMATCHES names ${key}, which is not a column`);
    expect(problems).toEqual([]);
  });

  it("create the application's role and let it read every table", () => {
    expect(roleExists).toBe(true);
    expect(readable.filter((t) => !t.ok).map((t) => t.table)).toEqual([]);
  });
});

describe("reading a CHECK's allowed values", () => {
  it("gives the same values whatever the server's wording", () => {
    const expected = { column: "kind", lists: [["a", "b's"]] };
    expect(parseCheck("CHECK ((kind = ANY (ARRAY['a'::text, 'b''s'::text])))")).toEqual(expected);
    expect(
      parseCheck(
        "CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b''s'::character varying])::text[])))",
      ),
    ).toEqual(expected);
    expect(parseCheck("CHECK ((kind <@ '{a,\"b''s\"}'::text[]))")).toEqual({
      column: "kind",
      lists: [["a", "b's"]],
    });
    expect(parseCheck("CHECK (((outcome IS NULL) = (status = ANY (ARRAY['x'::text]))))")).toEqual({
      column: undefined,
      lists: [["x"]],
    });
    expect(parseCheck("CHECK ((('H3'::text = ANY (handling)) = (restrictions IS NOT NULL)))").lists).toEqual(
      [],
    );
  });
});

describe("the migrations themselves", () => {
  it("import nothing from outside their folder (the domain's lists change; a migration does not)", () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".ts"));
    expect(files).toContain("001_foundation.ts");
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(`${MIGRATIONS_DIR}${file}`, "utf8");
      const { importedFiles } = ts.preProcessFile(text, true, true);
      for (const { fileName } of importedFiles) {
        const local = /^\.\/[\w.-]+\.ts$/.test(fileName) && files.includes(fileName.slice(2));
        if (!local && fileName !== "kysely" && fileName !== "kysely/migration")
          problems.push(
            `src/platform/db/migrations/${file} imports "${fileName}": a migration holds its own literal SQL, its lists written out (${RULE})`,
          );
      }
      if (/\brequire\s*\(/.test(text)) problems.push(`src/platform/db/migrations/${file} calls require()`);
    }
    expect(problems).toEqual([]);
  });

  it("grant to the application's role by its name, written out", () => {
    const roles = new Set<string>();
    for (const statement of Object.values(MIGRATIONS).flat()) {
      for (const m of statement.matchAll(/\bCREATE ROLE\s+(\w+)|\brolname\s*=\s*'(\w+)'/g))
        roles.add(m[1] ?? m[2] ?? "");
      if (/^\s*GRANT\b/.test(statement))
        roles.add(/\bTO\s+(\w+)\s*$/.exec(statement)?.[1] ?? `? in ${statement}`);
    }
    expect([...roles]).toEqual([APP_ROLE]);
  });

  it("keep every shipped migration as it shipped: an edit fails here; add a new migration instead", () => {
    const hash = (name: string) =>
      createHash("sha256")
        .update(JSON.stringify(MIGRATIONS[name] ?? null))
        .digest("hex");
    const problems: string[] = [];
    const shipped = Object.keys(SHIPPED);
    for (const name of shipped) {
      if (!(name in MIGRATIONS))
        problems.push(`shipped migration ${name} is gone: a node that applied it refuses to start`);
      else if (hash(name) !== SHIPPED[name])
        problems.push(
          `shipped migration ${name} changed: nodes that applied it will never see the change. Revert it and add a new migration instead (${RULE})`,
        );
    }
    const last = shipped.toSorted().at(-1) ?? "";
    for (const name of MIGRATION_NAMES.filter((n) => !(n in SHIPPED))) {
      if (name < last)
        problems.push(`migration ${name} sorts before the shipped ${last}: give it a number after ${last}`);
      else
        problems.push(
          `migration ${name} is not pinned: once it is final, add "${name}": "${hash(name)}" to SHIPPED in test/integration/migrations.test.ts`,
        );
    }
    expect(problems).toEqual([]);
  });
});
