/**
 * Fuzz inputs for the operations of the OpenAPI document (test/integration/fuzz.test.ts): values
 * generated from a JSON schema (the subset the node's zod schemas produce), then mutated (wrong
 * types, missing or extra keys, huge and deep values, unicode, bidirectional controls, nulls);
 * raw bodies that are not JSON or not in the content type they claim; path segments and query
 * strings that are wrong in every way a URL can be.
 */
import fc from "fast-check";

export type Schema = Record<string, unknown> & {
  type?: string | string[];
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  format?: string;
};

/** Known values by property name (ids of real records), used for some of the generated values. */
export type Hints = Record<string, readonly string[]>;

export interface Components {
  schemas?: Record<string, Schema>;
}

/** Strings a handler might choke on: bidirectional controls, NUL, astral, combining, long, SQL-ish, paths. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "\u202etxt.exe",
  "\u2066x\u2069",
  "a\u200db",
  "\ufeff",
  "\ud83d\ude00",
  "\ud800",
  "e\u0301",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "'; DROP TABLE cases; --",
  "%",
  "%00",
  "..",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point
  "${jndi:x}",
  "\\",
  "\r\n",
  "ﷺ",
  "𠜎𠜱𠝹",
  "العربية",
];

const wideString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(...NASTY),
);

const withLength = (s: Schema) => (v: string) =>
  v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY);

function stringOf(s: Schema): fc.Arbitrary<string> {
  if (s.format === "uuid") return fc.uuid({ version: [4, 7] });
  if (s.format === "date")
    return fc
      .date({ min: new Date("1950-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (s.format === "date-time")
    return fc
      .date({ min: new Date("1950-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString());
  // Country codes are checked against ISO 3166: mostly real ones, so that the rest of the body is reached.
  if (s.pattern === "^[A-Z]{3}$")
    return fc.oneof(fc.constantFrom("COL", "MEX", "ESP", "GTM", "NGA"), fc.stringMatching(/^[A-Z]{3}$/));
  if (s.pattern) {
    const max = Math.min(s.maxLength ?? 60, 60);
    return fc.stringMatching(new RegExp(s.pattern)).filter((v) => withLength(s)(v) && v.length <= max);
  }
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 40, 40));
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: min, maxLength: max }) },
    )
    .filter(withLength(s));
}

function resolve(s: Schema, components: Components): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace("#/components/schemas/", "");
  const target = components.schemas?.[name];
  if (!target) throw new Error(`unknown $ref ${s.$ref}`);
  return target;
}

/** A value the schema accepts (near enough: the generator does not solve every constraint). */
export function generated(
  schema: Schema,
  components: Components,
  depth = 0,
  hints: Hints = {},
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (depth > 8) return fc.constant(null);
  if ("const" in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => generated(a, components, depth + 1, hints)));
  if (Array.isArray(s.type))
    return fc.oneof(...s.type.map((t) => generated({ ...s, type: t }, components, depth, hints)));
  switch (s.type) {
    case "string":
      return stringOf(s);
    case "integer":
      return fc.integer({
        min: Math.max(s.minimum ?? -1000, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e15),
        max: Math.min(s.maximum ?? 100_000, 1e15),
      });
    case "number":
      return fc.double({
        min: s.minimum ?? s.exclusiveMinimum ?? -1e6,
        max: s.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
        minExcluded: s.exclusiveMinimum !== undefined,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(
        s.items ? generated(s.items, components, depth + 1, hints) : fc.jsonValue({ maxDepth: 1 }),
        {
          minLength: s.minItems ?? 0,
          maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
        },
      );
    case "object": {
      const props = s.properties ?? {};
      if (Object.keys(props).length === 0 && typeof s.additionalProperties === "object")
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }),
          generated(s.additionalProperties, components, depth + 1, hints),
          { maxKeys: 3 },
        );
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, p] of Object.entries(props)) {
        const made = generated(p, components, depth + 1, hints);
        const known = hints[k];
        model[k] = known?.length ? fc.oneof(fc.constantFrom(...known), made) : made;
      }
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---- Mutations -----------------------------------------------------------------------------------------

type Path = (string | number)[];

function pathsOf(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) pathsOf(x, [...prefix, i], out);
  } else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) pathsOf(x, [...prefix, k], out);
  return out;
}

function setAt(
  root: unknown,
  path: Path,
  fn: (old: unknown, parent: unknown, key: string | number) => unknown,
) {
  if (path.length === 0) return fn(root, undefined, "");
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  const next = fn(parent[key], parent, key);
  if (next === REMOVE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else parent[key] = next;
  return copy;
}

const REMOVE = Symbol("remove");

/** `[[[…]]]` or `{"a":{"a":…}}` `n` levels deep, as a value (so JSON.stringify of it is the deep text). */
export function deep(n: number, kind: "array" | "object"): unknown {
  let v: unknown = kind === "array" ? [] : {};
  for (let i = 0; i < n; i++) v = kind === "array" ? [v] : { a: v };
  return v;
}

/** A value of the wrong kind, or of the right kind at its extremes. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 1, -0, 0.5, 1e-300),
  wideString,
  fc.constantFrom(...NASTY.map((s) => s.repeat(3))),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 100, max: 3000 }).map((n) => "\u202e".repeat(n)),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.integer({ min: 10, max: 5000 }).map((n) => deep(n, "array")),
  fc.integer({ min: 10, max: 5000 }).map((n) => deep(n, "object")),
  fc.integer({ min: 100, max: 5000 }).map((n) => Array.from({ length: n }, () => "a")),
);

const extraKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "constructor",
    "toString",
    "hasOwnProperty",
    "generated",
    "__defineGetter__",
    "id",
    "userId",
  ),
);

/** `value` with one place changed: replaced by a wrong value, removed, given an extra key, wrapped, or nulled. */
export function mutate(value: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(value);
  return fc
    .tuple(fc.constantFrom(...paths), fc.nat({ max: 5 }), wrongValue, extraKey)
    .map(([path, action, wrong, key]) => {
      switch (action) {
        case 0:
        case 1:
          return setAt(value, path, () => wrong);
        case 2:
          return path.length === 0 ? wrong : setAt(value, path, () => REMOVE);
        case 3:
          return setAt(value, path, (old) =>
            old && typeof old === "object" && !Array.isArray(old) ? { ...old, [key]: wrong } : [old],
          );
        case 4:
          return setAt(value, path, () => null);
        default:
          return setAt(value, path, (old) => [old, old]);
      }
    });
}

// ---- Bodies --------------------------------------------------------------------------------------------

export interface Body {
  /** What goes on the wire (undefined: no body). */
  payload?: string | Buffer;
  contentType?: string;
  /** A short description for the report. */
  label: string;
}

const json = (v: unknown, label: string, contentType = "application/json"): Body => {
  let text: string;
  try {
    text = JSON.stringify(v) ?? "null";
  } catch {
    text = "null";
  }
  return { payload: text, contentType, label };
};

const contentTypes = fc.constantFrom(
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=----x",
  "application/octet-stream",
  "application/jose",
  "application/xml",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "application/json;;",
  "application/vnd.api+json",
  "*/*",
  "",
);

/** Bytes that are not the JSON document they claim to be, or JSON under another name. */
export const rawBody: fc.Arbitrary<Body> = fc.oneof(
  fc
    .string({ maxLength: 60 })
    .map((s) => ({ payload: s, contentType: "application/json", label: "text as JSON" })),
  fc
    .constantFrom(
      "{",
      "[",
      '{"a":',
      "nul",
      "{}}",
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"a":1,"a":2}',
      "1e999999",
      "\ufeff{}",
      "   ",
      '"string"',
      "[]",
      "null",
      "true",
      "-0",
    )
    .map((s) => ({ payload: s, contentType: "application/json", label: `raw ${s}` })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => ({
    payload: Buffer.concat([Buffer.from('{"a":"'), Buffer.from(b), Buffer.from('"}')]),
    contentType: "application/json",
    label: "bytes as JSON",
  })),
  fc
    .tuple(fc.jsonValue({ maxDepth: 2 }), contentTypes)
    .map(([v, ct]) => json(v, `JSON as ${ct || "no type"}`, ct)),
  fc.tuple(fc.string({ maxLength: 60 }), contentTypes).map(([s, ct]) => ({
    payload: s,
    contentType: ct,
    label: `text as ${ct || "no type"}`,
  })),
  fc.constant({ payload: "", contentType: "application/json", label: "empty JSON" }),
  fc.constant({ label: "no body" }),
  fc.integer({ min: 70_000, max: 200_000 }).map((n) => ({
    payload: `{"a":"${"x".repeat(n)}"}`,
    contentType: "application/json",
    label: `huge ${n}`,
  })),
  fc.integer({ min: 1000, max: 30_000 }).map((n) => ({
    payload: "[".repeat(n) + "]".repeat(n),
    contentType: "application/json",
    label: `nested ${n}`,
  })),
);

/** Bodies for an operation with this request schema: valid, mutated, or raw. */
export function bodyFor(
  schema: Schema | undefined,
  components: Components,
  hints: Hints = {},
  examples: readonly unknown[] = [],
): fc.Arbitrary<Body> {
  if (!schema)
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant({ label: "no body" }) },
      { weight: 1, arbitrary: rawBody },
    );
  const valid = validBody(schema, components, hints, examples);
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((v) => json(v, "valid")) },
    { weight: 5, arbitrary: valid.chain(mutate).map((v) => json(v, "mutated")) },
    { weight: 2, arbitrary: rawBody },
  );
}

/** Values the schema accepts: generated, or one of the examples known to pass the checks a schema cannot express. */
export function validBody(
  schema: Schema,
  components: Components,
  hints: Hints = {},
  examples: readonly unknown[] = [],
): fc.Arbitrary<unknown> {
  const made = generated(schema, components, 0, hints);
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), made) : made;
}

// ---- Paths and queries ---------------------------------------------------------------------------------

/** encodeURIComponent, except that a lone surrogate becomes its WTF-8 bytes (%ED%A0%80): bytes that are not UTF-8. */
export function encode(s: string): string {
  return s.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => {
    try {
      return encodeURIComponent(part);
    } catch {
      const c = part.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    }
  });
}

/** A path segment, already encoded (some deliberately not, or badly). */
export function segmentFor(
  schema: Schema,
  components: Components,
  known: readonly string[],
): fc.Arbitrary<string> {
  const enc = (a: fc.Arbitrary<string>) => a.map(encode);
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: fc.uuid({ version: [4, 7] }) },
    { weight: 2, arbitrary: enc(generated(schema, components) as fc.Arbitrary<string>) },
    { weight: 2, arbitrary: enc(wideString) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "%",
        "%zz",
        "..",
        ".",
        "%2e%2e",
        "..%2f..%2f",
        "%2F",
        "a%2Fb",
        "%00",
        "%E2%80%AE",
        "%C3%28",
        "%ED%A0%80",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
        "123",
        "-1",
        "null",
        "%20",
        "+",
        "*",
        ";",
        "a;b=c",
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 150, max: 3000 }).map((n) => "a".repeat(n)) },
  ];
  if (known.length > 0) options.push({ weight: 4, arbitrary: fc.constantFrom(...known) });
  return fc.oneof(...options);
}

export interface QueryParam {
  name: string;
  schema: Schema;
  required?: boolean;
}

/** A query string (without `?`), from the documented parameters: valid, wrong, repeated, huge, or left out. */
export function queryFor(params: readonly QueryParam[], components: Components): fc.Arbitrary<string> {
  const one = (p: QueryParam) =>
    fc.oneof(
      { weight: 3, arbitrary: generated(p.schema, components).map((v) => [String(v)]) },
      { weight: 2, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: wideString.map((s) => [s]) },
      {
        weight: 1,
        arbitrary: fc.array(generated(p.schema, components).map(String), { minLength: 2, maxLength: 3 }),
      },
      { weight: 1, arbitrary: fc.integer({ min: 200, max: 5000 }).map((n) => ["9".repeat(n)]) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(["-1"], ["1e309"], ["0"], ["true"], [""], ["[]"], ["{}"], ["%"]),
      },
    );
  const parts = params.map((p) =>
    one(p).map((values) => values.map((v) => `${encode(p.name)}=${v === "%" ? "%" : encode(v)}`)),
  );
  const extra = fc.option(
    fc.tuple(fc.string({ maxLength: 8 }), wideString).map(([k, v]) => `${encode(k)}=${encode(v)}`),
    { freq: 4 },
  );
  const bracketed = fc.option(
    fc.constantFrom(
      "a[b]=1",
      "a[]=1&a[]=2",
      "__proto__[x]=1",
      "constructor[prototype][x]=1",
      "&&&",
      "=",
      "a=%",
    ),
    { freq: 5 },
  );
  return fc
    .tuple(fc.tuple(...parts), extra, bracketed)
    .map(([ps, e, b]) => [...ps.flat(), ...(e ? [e] : []), ...(b ? [b] : [])].join("&"));
}
