import type { Command } from "commander";
import { dbOption } from "../options.ts";

export function backupCommands(program: Command) {
  program
    .command("backup")
    .description("Write a consistent snapshot of an embedded database (the node must be stopped)")
    .addOption(dbOption())
    .requiredOption("--out <file>", "snapshot file to write (.tar.gz)")
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; out: string; json?: boolean }) => {
      await (await import("../actions/backup.ts")).backup(o);
    });

  program
    .command("restore")
    .description("Restore a snapshot into a new, empty directory and verify its audit chain")
    .requiredOption("--from <file>", "snapshot written by `ariadne backup`")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (o: { from: string; db?: string; json?: boolean }) => {
      await (await import("../actions/backup.ts")).restore(o);
    });
}
