/**
 * Lists of persons from CSV: RFC 4180 quoting, a header row, and the FEBRL spelling (comma and
 * space separated: the spaces after a separator are dropped, as is surrounding white space).
 */
import { parse } from "csv-parse/sync";
import type { PersonRecord } from "./person.ts";

export interface Table {
  header: string[];
  rows: string[][];
}

export function parseCsv(text: string): Table {
  // csv-parse: RFC 4180 quoting; FEBRL's blanks after each comma and around values are dropped
  // (quoted values keep theirs); a byte-order mark and blank lines are ignored.
  const [header = [], ...rows] = parse(text, {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as string[][];
  return { header, rows };
}

export const PERSON_FIELDS = ["given", "surname", "name", "dob", "sex", "pob"] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

const ALIASES: Record<PersonField, string[]> = {
  given: ["given", "given_name", "given_names", "first_name", "firstname", "forename", "forenames"],
  surname: ["surname", "surnames", "last_name", "lastname", "family_name", "familyname"],
  name: ["name", "full_name", "fullname"],
  dob: ["dob", "date_of_birth", "birth_date", "birthdate", "born"],
  sex: ["sex", "gender"],
  pob: ["pob", "place_of_birth", "birth_place", "birthplace"],
};

/**
 * Which column feeds which field. Explicit `field=column` pairs win; without any, the person
 * fields are found by their usual column names and every other column but the id is compared as
 * a further text field (`extra:<column>`). With explicit pairs, only the mapped columns are used
 * (a field that is not a person field is a further text field under that name).
 */
export function columnMap(
  header: string[],
  idColumn: string,
  explicit: Record<string, string> = {},
): Map<string, number> {
  const lower = header.map((h) => h.trim().toLowerCase());
  const map = new Map<string, number>();
  const col = (name: string) => {
    const i = lower.indexOf(name.trim().toLowerCase());
    if (i < 0) throw new Error(`no column "${name}" (columns: ${header.join(", ")})`);
    return i;
  };
  if (Object.keys(explicit).length) {
    for (const [field, column] of Object.entries(explicit)) map.set(field, col(column));
    return map;
  }
  const id = col(idColumn);
  const used = new Set([id]);
  for (const field of PERSON_FIELDS) {
    const i = lower.findIndex((h, j) => !used.has(j) && ALIASES[field].includes(h));
    if (i >= 0) {
      map.set(field, i);
      used.add(i);
    }
  }
  lower.forEach((h, i) => {
    if (!used.has(i)) map.set(`extra:${h}`, i);
  });
  return map;
}

export interface PersonRow {
  id: string;
  person: PersonRecord;
}

export function personsFromTable(
  table: Table,
  idColumn: string,
  explicit: Record<string, string> = {},
): PersonRow[] {
  const idIndex = table.header.findIndex((h) => h.trim().toLowerCase() === idColumn.trim().toLowerCase());
  if (idIndex < 0) throw new Error(`no id column "${idColumn}" (columns: ${table.header.join(", ")})`);
  const map = columnMap(table.header, idColumn, explicit);
  return table.rows.map((row) => {
    const person: PersonRecord = {};
    const extra: Record<string, string> = {};
    for (const [field, i] of map) {
      const v = row[i] ?? "";
      if ((PERSON_FIELDS as readonly string[]).includes(field)) person[field as PersonField] = v;
      else extra[field.replace(/^extra:/, "")] = v;
    }
    if (Object.keys(extra).length) person.extra = extra;
    return { id: row[idIndex] ?? "", person };
  });
}
