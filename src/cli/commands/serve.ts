import type { Command } from "commander";
import { dbOption, positiveInt } from "../options.ts";

export function serveCommands(program: Command) {
  program
    .command("serve")
    .description(
      "Run a national node (production unless --sandbox); configuration from the environment, see README",
    )
    .addOption(dbOption())
    .option("--host <host>", "address to listen on (HOST)")
    .option("--port <port>", "port to listen on (PORT)", positiveInt)
    .option("--sandbox", "sandbox mode: synthetic demo users, codes shown on the login page")
    .action(async (o: { db?: string; host?: string; port?: number; sandbox?: boolean }) => {
      await (await import("../actions/serve.ts")).serve(o);
    });

  program
    .command("sandbox")
    .description(
      "Run the sandbox (what `npm start` runs): the Secretariat (UNODC) and three national nodes (COL, MEX, ESP) in one process, peered, with synthetic demo data",
    )
    .option(
      "--port <port>",
      "port of the first node; the others take the next ones (PORT; default 3000)",
      positiveInt,
    )
    .option("--dir <dir>", "directory of the nodes' embedded databases, one subdirectory each", "./data")
    .action(async (o: { port?: number; dir: string }) => {
      await (await import("../actions/serve.ts")).sandbox(o);
    });

  program
    .command("migrate")
    .description("Apply pending database migrations")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; json?: boolean }) => {
      await (await import("../actions/migrate.ts")).migrate(o);
    });
}

export function openApiCommand(program: Command) {
  program
    .command("openapi")
    .description("Print the node's OpenAPI 3.1 document (generated from the route schemas)")
    .action(async () => {
      const { openApiDocument } = await import("../../server/openapi.ts");
      process.stdout.write(`${JSON.stringify(await openApiDocument(), null, 2)}\n`);
    });
}
