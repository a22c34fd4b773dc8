/**
 * What the command definitions share: options and their parsers. Only commander: defining the
 * command tree (and printing its help) loads nothing else; each command's action loads its own
 * modules when it runs (src/cli/actions).
 */
import { InvalidArgumentError, Option } from "commander";

export const dbOption = () =>
  new Option(
    "--db <dir|url>",
    "embedded database directory, or a postgres:// URL (default: DATABASE_URL or ARIADNE_DATA_DIR)",
  );

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number");
  return n;
}
