import type { Command } from "commander";
import { dbOption, positiveInt } from "../options.ts";

export function demoCommand(program: Command) {
  program
    .command("demo-data")
    .description(
      "Create synthetic demo cases (deterministic by seed) led by an existing account; for sandboxes, training and benchmarks",
    )
    .addOption(dbOption())
    .requiredOption("--cases <n>", "how many cases", positiveInt)
    .option("--seed <s>", "the seed: the same seed gives the same cases", positiveInt, 1)
    .requiredOption(
      "--lead <username>",
      "the account that leads the cases (an investigator or crisis manager)",
    )
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; cases: number; seed: number; lead: string; json?: boolean }) => {
      await (await import("../actions/demo.ts")).demoData(o);
    });
}
