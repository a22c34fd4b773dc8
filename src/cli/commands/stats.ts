/**
 * `ariadne stats import`: a historical or SDMX statistics file into the
 * observations, with a progress bar on a terminal and an account of every row.
 * `ariadne stats return`: the national return of a year, computed from the
 * node's cases in the database. `ariadne report global`: the global report for
 * a period, as JSON, PDF or SDMX. See src/engines/statistics.
 */
import { writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import { type Command, InvalidArgumentError, Option } from "commander";
import { suppressSmallCells, validateReturn } from "../../domain/counting.ts";
import { computeReturnSql } from "../../engines/statistics/compute.ts";
import { IMPORT_FORMATS, type ImportFormat, importFile } from "../../engines/statistics/import/index.ts";
import { reportPdf } from "../../engines/statistics/pdf.ts";
import { globalReport } from "../../engines/statistics/report.ts";
import {
  reportToObservations,
  returnToObservations,
  writeSdmxCsv,
  writeSdmxJson,
} from "../../engines/statistics/sdmx.ts";
import { dbOption, positiveInt, print, table, withDb } from "../context.ts";

function year(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1900 || n > 2200)
    throw new InvalidArgumentError("must be a year, e.g. 2022");
  return n;
}

function country(value: string): string {
  if (!/^[A-Za-z]{3}$/.test(value)) throw new InvalidArgumentError("must be an ISO 3166-1 alpha-3 code");
  return value.toUpperCase();
}

function output(out: string | undefined, data: string | Buffer) {
  if (out) writeFileSync(out, data);
  else process.stdout.write(data);
}

export function statsCommands(program: Command) {
  const stats = program.command("stats").description("National returns and historical statistics");

  stats
    .command("import")
    .description(
      "Import a statistics file (idempotent); every row is accounted for: imported, or rejected with its reason",
    )
    .addOption(dbOption())
    .addOption(
      new Option("--format <format>", "the file's format").choices(IMPORT_FORMATS).makeOptionMandatory(),
    )
    .argument("<file>", "the file")
    .option("--json", "machine-readable output, with the account of every row")
    .action(async (file: string, o: { db?: string; format: ImportFormat; json?: boolean }) => {
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
    });

  stats
    .command("return")
    .description("Compute the national return of a year from the node's cases (SQL aggregation)")
    .addOption(dbOption())
    .requiredOption("--year <year>", "the reporting year", year)
    .requiredOption("--country <iso3>", "the node's country (ISO 3166-1 alpha-3)", country)
    .option("--min-cell <n>", "withhold counts below n (small-cell suppression) for publication", positiveInt)
    .option("--previous", "also compare with the previous year and flag changes over 50 %")
    .option("--population <n>", "the country's population, to check that rates are plausible", positiveInt)
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "sdmx-csv", "sdmx-json"])
        .default("text"),
    )
    .option("--out <file>", "write to a file instead of standard output")
    .action(
      async (o: {
        db?: string;
        year: number;
        country: string;
        minCell?: number;
        previous?: boolean;
        population?: number;
        format: string;
        out?: string;
      }) => {
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
          if (o.format === "json")
            return output(o.out, `${JSON.stringify({ ...r, issues, seconds }, null, 2)}\n`);
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
      },
    );

  const report = program.command("report").description("Reports compiled by the Secretariat");
  report
    .command("global")
    .description("The global report on kidnapping for a period, from the imported observations and returns")
    .addOption(dbOption())
    .requiredOption("--from <year>", "first year", year)
    .requiredOption("--to <year>", "last year", year)
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["json", "pdf", "sdmx-csv", "sdmx-json", "text"])
        .default("text"),
    )
    .option("--out <file>", "write to a file instead of standard output (a PDF needs one unless piped)")
    .action(async (o: { db?: string; from: number; to: number; format: string; out?: string }) => {
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
    });
}
