/**
 * `ariadne stats import`, `ariadne stats return` and `ariadne report global` (definitions:
 * src/cli/commands/stats.ts). See src/engines/statistics.
 */
import { writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import { InvalidArgumentError } from "commander";
import { suppressSmallCells, validateReturn } from "../../domain/counting.ts";
import { computeReturnSql } from "../../engines/statistics/compute.ts";
import { type ImportFormat, importFile } from "../../engines/statistics/import/index.ts";
import { reportPdf } from "../../engines/statistics/pdf.ts";
import { globalReport } from "../../engines/statistics/report.ts";
import {
  reportToObservations,
  returnToObservations,
  writeSdmxCsv,
  writeSdmxJson,
} from "../../engines/statistics/sdmx.ts";
import { print, table, withDb } from "../context.ts";

function output(out: string | undefined, data: string | Buffer) {
  if (out) writeFileSync(out, data);
  else process.stdout.write(data);
}

export async function importStats(file: string, o: { db?: string; format: ImportFormat; json?: boolean }) {
  await withDb(o, async (ctx) => {
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: "importing [{bar}] {percentage}% {value}/{total} observations",
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    const report = await importFile(ctx.db, o.format, file, {
      importedBy: ctx.actor.label,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    }).finally(() => bar?.stop());
    print(Boolean(o.json), report, () => {
      const rejected = report.accounts.filter((a) => a.status === "rejected");
      const noted = report.accounts.filter((a) => a.status !== "rejected" && a.reason);
      return [
        `${report.file} (${o.format}, source ${report.source}, sha256 ${report.sha256.slice(0, 12)}…)`,
        `${report.rows} rows: ${report.rowsImported} imported, ${report.rowsRejected} rejected, ${report.rowsMissing} with every value missing`,
        `${report.observations} observations: ${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged (${report.seconds.toFixed(2)} s)`,
        ...(rejected.length > 0
          ? ["rejected rows:", ...rejected.map((a) => `  line ${a.row}: ${a.reason}`)]
          : ["no row rejected"]),
        ...(noted.length > 0 ? ["notes:", ...noted.map((a) => `  line ${a.row}: ${a.reason}`)] : []),
      ].join("\n");
    });
  });
}

export async function nationalReturn(o: {
  db?: string;
  year: number;
  country: string;
  minCell?: number;
  previous?: boolean;
  population?: number;
  format: string;
  out?: string;
}) {
  await withDb(o, async (ctx) => {
    const started = performance.now();
    const computed = await computeReturnSql(ctx.db, { year: o.year, country: o.country });
    const previous = o.previous
      ? await computeReturnSql(ctx.db, { year: o.year - 1, country: o.country })
      : null;
    const seconds = (performance.now() - started) / 1000;
    const issues = validateReturn(computed, previous, { population: o.population });
    const r = o.minCell ? suppressSmallCells(computed, o.minCell) : computed;
    if (o.format === "sdmx-csv")
      return output(o.out, writeSdmxCsv(returnToObservations(r, { source: o.country })));
    if (o.format === "sdmx-json")
      return output(
        o.out,
        `${JSON.stringify(writeSdmxJson(returnToObservations(r, { source: o.country }), { sender: o.country }), null, 2)}\n`,
      );
    if (o.format === "json") return output(o.out, `${JSON.stringify({ ...r, issues, seconds }, null, 2)}\n`);
    const text = [
      `National return of ${r.country} for ${r.year} (computed in ${seconds.toFixed(2)} s)`,
      ...r.tables.map(
        (t) =>
          `\n${t.title} (total ${t.total})\n${table(
            t.cells.map((c) => ({
              ...Object.fromEntries(t.dims.map((d, i) => [d, c.key[i]])),
              value: c.value ?? "withheld",
            })),
            [...t.dims, "value"],
          )}`,
      ),
      issues.length > 0
        ? `\nValidation:\n${issues.map((i) => `  ${i.severity}: ${i.message}`).join("\n")}`
        : "\nValidation: no issue",
    ].join("\n");
    output(o.out, `${text}\n`);
  });
}

export async function globalReportCommand(o: {
  db?: string;
  from: number;
  to: number;
  format: string;
  out?: string;
}) {
  if (o.from > o.to) throw new InvalidArgumentError("--from must not be after --to");
  await withDb(o, async (ctx) => {
    const r = await globalReport(ctx.db, { from: o.from, to: o.to });
    if (o.format === "json") return output(o.out, `${JSON.stringify(r, null, 2)}\n`);
    if (o.format === "sdmx-csv") return output(o.out, writeSdmxCsv(reportToObservations(r)));
    if (o.format === "sdmx-json")
      return output(o.out, `${JSON.stringify(writeSdmxJson(reportToObservations(r)), null, 2)}\n`);
    if (o.format === "pdf") {
      if (!o.out && process.stdout.isTTY)
        throw new InvalidArgumentError("a PDF needs --out <file> on a terminal");
      return output(o.out, await reportPdf(r));
    }
    output(
      o.out,
      `${table(
        r.years.map((y) => ({ ...y, iqrRate: y.iqrRate ?? "", medianRate: y.medianRate ?? "" })),
        ["year", "reportingCountries", "totalCount", "medianRate", "iqrRate", "aggregateRate"],
      )}\n\n${r.disagreements.length} source disagreements; ${r.regions.length} regions, ${r.subregions.length} subregions\n`,
    );
  });
}
