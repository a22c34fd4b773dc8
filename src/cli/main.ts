/** The `ariadne` command line entry point. Every command has --help; every listing has --json. */
import { ZodError } from "zod";
import { AppError } from "../domain/errors.ts";
import { ConfigError } from "../platform/config.ts";
import { buildCli } from "./program.ts";

async function main() {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else if (e instanceof AppError) process.stderr.write(`error: ${e.message}\n`);
    else if (e instanceof ZodError)
      process.stderr.write(`error: ${e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}\n`);
    else process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = process.exitCode || 1;
  }
}

await main();
