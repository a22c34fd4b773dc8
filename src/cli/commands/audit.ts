import type { Command } from "commander";
import { dbOption } from "../options.ts";

export function auditCommands(program: Command) {
  const cmd = program.command("audit").description("The tamper-evident audit trail");

  cmd
    .command("verify")
    .description(
      "Recompute the hash chain; exits 1 and names the first broken entry when it was tampered with",
    )
    .addOption(dbOption())
    .option("--expect <seq:hash>", "also check an anchor recorded earlier (detects a rewritten chain)")
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; expect?: string; json?: boolean }) => {
      await (await import("../actions/audit.ts")).verify(o);
    });

  cmd
    .command("export")
    .description(
      "Write the trail as JSON Lines (one entry a line, with hashes), for archiving or outside review",
    )
    .addOption(dbOption())
    .option("--out <file>", "file to write (default: standard output)")
    .option("--from <iso>", "entries at or after this time")
    .option("--to <iso>", "entries before this time")
    .action(async (o: { db?: string; out?: string; from?: string; to?: string }) => {
      await (await import("../actions/audit.ts")).exportTrail(o);
    });
}
