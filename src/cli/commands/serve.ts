import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../../platform/config.ts";
import { runMigrations } from "../../platform/db/index.ts";
import { LATEST_MIGRATION } from "../../platform/db/migrations/index.ts";
import { WEB_DIST } from "../../server/app.ts";
import { startNode } from "../../server/node.ts";
import { sandboxBanner, startSandbox } from "../../server/sandbox-federation.ts";
import { dbOption, positiveInt, print, withDb } from "../context.ts";

function dbEnv(db: string | undefined): Record<string, string> {
  if (!db) return {};
  return /^postgres(ql)?:\/\//.test(db) ? { DATABASE_URL: db } : { ARIADNE_DATA_DIR: db };
}

function noteWebApp() {
  if (!existsSync(join(WEB_DIST, "index.html"))) {
    process.stderr.write(
      "note: the web app is not built (dist/web); run `npm run build` for the user interface.\n",
    );
  }
}

/** SIGINT and SIGTERM close what runs, then exit; a second signal exits at once. */
function closeOnSignals(close: () => Promise<void>) {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    try {
      await close();
      process.exit(0);
    } catch (e) {
      process.stderr.write(`error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
  };
  process.on("SIGINT", (s) => void stop(s));
  process.on("SIGTERM", (s) => void stop(s));
}

async function serve(env: Record<string, string | undefined>) {
  const config = loadConfig(env);
  noteWebApp();
  const node = await startNode(config);
  closeOnSignals(() => node.close());
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
      const env = process.env;
      noteWebApp();
      const sandbox = await startSandbox({
        baseDir: o.dir,
        basePort: o.port ?? (env.PORT ? Number(env.PORT) : 3000),
        host: env.HOST,
        env,
      });
      process.stdout.write(sandboxBanner(sandbox, { baseDir: o.dir }));
      if (existsSync(join(o.dir, "node", "PG_VERSION"))) {
        process.stdout.write(
          `  note: ${join(o.dir, "node")} holds the single sandbox node of earlier versions, no longer used; delete it when you like.\n\n`,
        );
      }
      if (env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace") {
        process.stderr.write(`sandbox start-up phases (ms): ${JSON.stringify(sandbox.phases)}\n`);
      }
      closeOnSignals(() => sandbox.close());
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
