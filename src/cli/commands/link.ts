/**
 * `ariadne link`: batch linkage of two lists of persons (a list of suspects against a passenger
 * or prison list), in clear text or privately as two peers would do it. Prints the matched pairs
 * as CSV (`left_id,right_id,score`) on standard output, a progress bar on standard error when it
 * is a terminal. No database, no configuration. The action: src/cli/actions/link.ts.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { LinkOptions } from "../actions/link.ts";
import { prepareWith } from "../lazy.ts";

function collectMap(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([A-Za-z_][\w:-]*)=(.+)$/.exec(value);
  if (!m?.[1] || !m[2]) throw new InvalidArgumentError(`expected field=column, got "${value}"`);
  return { ...previous, [m[1]]: m[2] };
}

function parseThreshold(value: string): number {
  const t = Number(value);
  if (!Number.isFinite(t) || t < 0 || t > 1) throw new InvalidArgumentError("must be a number from 0 to 1");
  return t;
}

export function linkCommand(program: Command) {
  // Its description names the engine's default thresholds: filled in when `link` is named.
  const threshold = new Option("--threshold <T>").argParser(parseThreshold);
  const cmd = program
    .command("link")
    .description(
      "Link two lists of persons (CSV): print the matched pairs as left_id,right_id,score; in private mode only Bloom-filter encodings are compared, as between two peers",
    )
    .addOption(
      new Option("--mode <mode>", "clear or private").choices(["clear", "private"]).default("private"),
    )
    .requiredOption("--left <file>", "the left list (CSV with a header row; FEBRL files as they are)")
    .requiredOption("--right <file>", "the right list")
    .option("--id <column>", "the column that identifies a record, in both files", "rec_id")
    .option(
      "--map <field=column>",
      "which column feeds a field: given, surname, name, dob, sex, pob, or any other name for a further text field (repeatable); without --map the usual column names are recognised and every other column is compared as text",
      collectMap,
      {},
    )
    .addOption(threshold)
    .addOption(
      new Option(
        "--assign <how>",
        "all pairs above the threshold; best: each right record with its best left one; one-to-one",
      )
        .choices(["all", "best", "one-to-one"])
        .default("all"),
    )
    .option("--full-scan", "compare every pair rather than the blocked candidates (slower)")
    .option("--balance", "private mode: harden the encodings by balancing (doubles their length)")
    .option("--xor-fold", "private mode: harden the encodings by XOR folding (halves their length)")
    .addHelpText(
      "after",
      [
        "",
        "Example (FEBRL):",
        "  ariadne link --mode private --left orgs.csv --right dups.csv --id rec_id --threshold 0.7",
        "  ariadne link --mode clear --left a.csv --right b.csv --id ref --map given=first --map surname=last --map dob=born",
      ].join("\n"),
    )
    .action(async (o: LinkOptions) => {
      await (await import("../actions/link.ts")).linkLists(o);
    });
  prepareWith(cmd, async () => {
    const { DEFAULT_THRESHOLD } = await import("../actions/link.ts");
    threshold.description = `minimum score of a pair, 0–1 (default ${DEFAULT_THRESHOLD.private} private Dice, ${DEFAULT_THRESHOLD.clear} clear)`;
  });
}
