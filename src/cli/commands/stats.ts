/**
 * `ariadne stats import`: a historical or SDMX statistics file into the
 * observations, with a progress bar on a terminal and an account of every row.
 * `ariadne stats return`: the national return of a year, computed from the
 * node's cases in the database. `ariadne report global`: the global report for
 * a period, as JSON, PDF or SDMX. The actions: src/cli/actions/stats.ts; the
 * engine: src/engines/statistics.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { IMPORT_FORMATS, type ImportFormat } from "../../engines/statistics/import/types.ts";
import { dbOption, positiveInt } from "../options.ts";

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
      await (await import("../actions/stats.ts")).importStats(file, o);
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
        await (await import("../actions/stats.ts")).nationalReturn(o);
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
      await (await import("../actions/stats.ts")).globalReportCommand(o);
    });
}
