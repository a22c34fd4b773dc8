/**
 * `ariadne link`: batch linkage of two lists of persons (a list of suspects against a passenger
 * or prison list), in clear text or privately as two peers would do it. Prints the matched pairs
 * as CSV (`left_id,right_id,score`) on standard output, a progress bar on standard error when it
 * is a terminal. No database, no configuration. The matching engine: src/engines/matching.
 */
import { readFile } from "node:fs/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import { parseCsv, personsFromTable } from "../../engines/matching/csv.ts";
import { type Assignment, DEFAULT_THRESHOLD, link } from "../../engines/matching/link.ts";

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

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A one-line progress bar on standard error, drawn only when it is a terminal, at most 10 times a second. */
function progressBar(label: string): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      process.stderr.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}% ${done}/${total}`,
      );
      drawn = true;
    },
    end() {
      if (tty && drawn) process.stderr.write("\n");
    },
  };
}

export function linkCommand(program: Command) {
  program
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
    .option(
      "--threshold <T>",
      `minimum score of a pair, 0–1 (default ${DEFAULT_THRESHOLD.private} private Dice, ${DEFAULT_THRESHOLD.clear} clear)`,
      parseThreshold,
    )
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
    .action(
      async (o: {
        mode: "clear" | "private";
        left: string;
        right: string;
        id: string;
        map: Record<string, string>;
        threshold?: number;
        assign: Assignment;
        fullScan?: boolean;
        balance?: boolean;
        xorFold?: boolean;
      }) => {
        const [leftText, rightText] = await Promise.all([
          readFile(o.left, "utf8"),
          readFile(o.right, "utf8"),
        ]);
        const left = personsFromTable(parseCsv(leftText), o.id, o.map);
        const right = personsFromTable(parseCsv(rightText), o.id, o.map);
        const bar = progressBar(`linking ${left.length} × ${right.length}`);
        const pairs = link(
          left.map((r) => r.person),
          right.map((r) => r.person),
          {
            mode: o.mode,
            threshold: o.threshold ?? DEFAULT_THRESHOLD[o.mode],
            assignment: o.assign,
            fullScan: !!o.fullScan,
            schema: { hardening: { balance: !!o.balance, xorFold: !!o.xorFold } },
            onProgress: bar.update,
          },
        );
        bar.end();
        const lines = ["left_id,right_id,score"];
        for (const p of pairs) {
          lines.push(
            `${csvField(left[p.left]?.id ?? "")},${csvField(right[p.right]?.id ?? "")},${p.score.toFixed(4)}`,
          );
        }
        process.stdout.write(`${lines.join("\n")}\n`);
      },
    );
}
