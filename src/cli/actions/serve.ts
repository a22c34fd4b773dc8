/** `ariadne serve` and `ariadne sandbox` (definitions: src/cli/commands/serve.ts). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../platform/config.ts";
import { WEB_DIST } from "../../server/app.ts";
import { startNode } from "../../server/node.ts";
import { sandboxBanner, startSandbox } from "../../server/sandbox-federation.ts";

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

export async function serve(o: { db?: string; host?: string; port?: number; sandbox?: boolean }) {
  const config = loadConfig({
    ...process.env,
    ...dbEnv(o.db),
    ...(o.host ? { HOST: o.host } : {}),
    ...(o.port !== undefined ? { PORT: String(o.port) } : {}),
    ...(o.sandbox ? { ARIADNE_MODE: "sandbox" } : {}),
  });
  noteWebApp();
  const node = await startNode(config);
  closeOnSignals(() => node.close());
}

export async function sandbox(o: { port?: number; dir: string }) {
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
}
