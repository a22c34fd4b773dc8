/**
 * `ariadne classify` (definition: src/cli/commands/classify.ts): one incident's recorded elements
 * as JSON on standard input → its ICCS class, whether it counts as kidnapping, its operational type
 * and the reasons (src/domain/definition.ts). No database, no configuration.
 */
import { classify, INCIDENT_FIELDS, OPERATIONAL_TYPES, parseIncident } from "../../domain/definition.ts";
import type { FieldError } from "../../domain/errors.ts";

const EXIT_REFUSED = 2;

/** Break `text` into lines of at most `width` characters, each prefixed with `indent`. */
function wrap(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** What `ariadne classify --help` shows after the usage: the input's fields, the output, an example. */
export function fieldsHelp(): string {
  const width = Math.max(...INCIDENT_FIELDS.map((f) => f.name.length));
  const lines = INCIDENT_FIELDS.flatMap((f) => [
    `  ${f.name.padEnd(width)}  ${f.required ? "required" : "optional"}  ${f.type}`,
    ...wrap(f.description, " ".repeat(width + 4)),
  ]);
  return [
    "",
    "Input: one JSON object on standard input with these fields (no others):",
    ...lines,
    "",
    `Operational types: ${OPERATIONAL_TYPES.join(", ")}`,
    "",
    'Output: {"iccs": "020221" | "020222" | "02021" | null, "kidnapping": boolean, "type": …, "reasons": […]}',
    "  020221 kidnapping, 020222 illegal restraint, 02021 abduction of a minor,",
    "  null: not an act against liberty (e.g. a virtual or simulated kidnapping).",
    'Invalid or contradictory input: {"error": {"code": "validation_failed", "message", "fields": [{path, message}]}}',
    "on standard output, one line on standard error, exit code 2.",
    "",
    "Example:",
    `  echo '{"victimDetained":true,"victimMoved":true,"againstWill":true,"purpose":"ransom","victimAgeYears":34}' | ariadne classify`,
  ].join("\n");
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    process.stderr.write("reading one incident as JSON from standard input (end with Ctrl-D)\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function refuse(message: string, fields: FieldError[]): void {
  process.stdout.write(
    `${JSON.stringify({ error: { code: "validation_failed", message, fields } }, null, 2)}\n`,
  );
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = EXIT_REFUSED;
}

export async function classifyStdin() {
  const text = await readStdin();
  if (text.trim() === "") {
    refuse("standard input is empty: give the incident as one JSON object", [
      { path: "", message: "standard input is empty: give the incident as one JSON object" },
    ]);
    return;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const why = `standard input is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    refuse(why, [{ path: "", message: why }]);
    return;
  }
  const parsed = parseIncident(input);
  if (!parsed.ok) {
    // Every message already names its field.
    const message = parsed.errors.map((f) => f.message).join("; ");
    refuse(`the incident was refused: ${message}`, parsed.errors);
    return;
  }
  const c = classify(parsed.elements);
  process.stdout.write(
    `${JSON.stringify({ iccs: c.iccs, kidnapping: c.kidnapping, type: c.type, reasons: c.reasons }, null, 2)}\n`,
  );
}
