/**
 * The `ariadne` command tree. Defining it loads commander and the command definitions only; each
 * action imports its modules when it runs (src/cli/actions), so `ariadne --help` starts at once and
 * `ariadne classify` loads the domain's definition and nothing of the server or the database.
 */
import { Command } from "commander";
import { auditCommands } from "./commands/audit.ts";
import { backupCommands } from "./commands/backup.ts";
import { classifyCommand } from "./commands/classify.ts";
import { demoCommand } from "./commands/demo.ts";
import { federationCommands } from "./commands/federation.ts";
import { linkCommand } from "./commands/link.ts";
import { openApiCommand, serveCommands } from "./commands/serve.ts";
import { statsCommands } from "./commands/stats.ts";
import { userCommands } from "./commands/user.ts";
import { prepareNamed } from "./lazy.ts";

export function buildCli(): Command {
  const program = new Command("ariadne")
    .description(
      "Ariadne, the counter-kidnapping cooperation platform: a national node and its maintenance tools",
    )
    .version("0.1.0")
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  serveCommands(program);
  openApiCommand(program);
  userCommands(program);
  auditCommands(program);
  backupCommands(program);
  demoCommand(program);
  federationCommands(program);
  classifyCommand(program);
  statsCommands(program);
  linkCommand(program);
  return program;
}

/** Parse `argv` (as `process.argv`) and run the command it names. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildCli();
  await prepareNamed(program, argv.slice(2));
  await program.parseAsync(argv);
}
