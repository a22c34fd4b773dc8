import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { WEB_DIST } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { runMigrations } from "../../server/db/index.ts";
import { LATEST_MIGRATION } from "../../server/db/migrations/index.ts";
import { startNode } from "../../server/node.ts";
import { dbOption, positiveInt, print, withDb } from "../context.ts";

function dbEnv(db: string | undefined): Record<string, string> {
  if (!db) return {};
  return /^postgres(ql)?:\/\//.test(db) ? { DATABASE_URL: db } : { ARIADNE_DATA_DIR: db };
}

async function serve(env: Record<string, string | undefined>) {
  const config = loadConfig(env);
  if (!existsSync(join(WEB_DIST, "index.html"))) {
    process.stderr.write(
      "note: the web app is not built (dist/web); run `npm run build` for the user interface.\n",
    );
  }
  const node = await startNode(config);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await node.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

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
      await serve({
        ...process.env,
        ...dbEnv(o.db),
        ...(o.host ? { HOST: o.host } : {}),
        ...(o.port !== undefined ? { PORT: String(o.port) } : {}),
        ...(o.sandbox ? { ARIADNE_MODE: "sandbox" } : {}),
      });
    });

  program
    .command("sandbox")
    .description("Run the sandbox (what `npm start` runs): a node with synthetic demo data under ./data")
    .option("--port <port>", "port to listen on", positiveInt)
    .action(async (o: { port?: number }) => {
      await serve({
        ARIADNE_NODE_ID: "COL",
        ARIADNE_NODE_NAME: "Sandbox — Colombia",
        ARIADNE_DATA_DIR: "./data/node",
        LOG_LEVEL: "warn",
        ...process.env,
        ARIADNE_MODE: "sandbox",
        ...(o.port !== undefined ? { PORT: String(o.port) } : {}),
        DATABASE_URL: undefined,
      });
    });

  program
    .command("migrate")
    .description("Apply pending database migrations")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; json?: boolean }) => {
      await withDb(
        o,
        async (_ctx, db) => {
          const applied = await runMigrations(db.kysely);
          print(Boolean(o.json), { applied, latest: LATEST_MIGRATION }, () =>
            applied.length ? `applied: ${applied.join(", ")}` : `up to date (${LATEST_MIGRATION})`,
          );
        },
        { migrate: false, asOwner: true },
      );
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
