/** The `ariadne` command line entry point. Every command has --help; every listing has --json. */
import { runCli } from "./program.ts";

/** The one line a failed command prints; the error types are loaded only when something failed. */
async function describe(e: unknown): Promise<string> {
  const [{ ConfigError }, { AppError }, { ZodError }] = await Promise.all([
    import("../platform/config.ts"),
    import("../domain/errors.ts"),
    import("zod"),
  ]);
  if (e instanceof ConfigError) return `${e.message}\n`;
  if (e instanceof AppError) return `error: ${e.message}\n`;
  if (e instanceof ZodError)
    return `error: ${e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}\n`;
  return `error: ${e instanceof Error ? e.message : String(e)}\n`;
}

async function main() {
  try {
    await runCli(process.argv);
  } catch (e) {
    process.stderr.write(await describe(e));
    process.exitCode = process.exitCode || 1;
  }
}

await main();
