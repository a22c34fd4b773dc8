import type { Command } from "commander";
import { dbOption } from "../options.ts";

export function federationCommands(program: Command) {
  const cmd = program.command("federation").description("The node's identity in the federation");

  cmd
    .command("rotate-keys")
    .description(
      "Replace the node's signing and encryption keys; the old ones are still accepted for ARIADNE_FEDERATION_KEY_OVERLAP_HOURS, and peers that approved them take the new ones on their endorsement",
    )
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; json?: boolean }) => {
      await (await import("../actions/federation.ts")).rotateKeys(o);
    });
}
