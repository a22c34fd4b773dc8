/**
 * `ariadne link` (definition: src/cli/commands/link.ts): batch linkage of two lists of persons, in
 * clear text or privately as two peers would do it. The matching engine: src/engines/matching.
 */
import { readFile } from "node:fs/promises";
import { parseCsv, personsFromTable } from "../../engines/matching/csv.ts";
import { type Assignment, DEFAULT_THRESHOLD, link } from "../../engines/matching/link.ts";

export { DEFAULT_THRESHOLD };

export interface LinkOptions {
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

/** Print the matched pairs as CSV (`left_id,right_id,score`) on standard output. */
export async function linkLists(o: LinkOptions) {
  const [leftText, rightText] = await Promise.all([readFile(o.left, "utf8"), readFile(o.right, "utf8")]);
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
}
