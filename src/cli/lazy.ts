/**
 * Commands whose definition shows something only their action's modules know (classify's help
 * lists the domain's incident fields, link's --threshold names the engine's defaults) fill it in
 * from a `prepare` step, run before commander parses the arguments when the command is named.
 */
import type { Command } from "commander";

const preparations = new WeakMap<Command, () => Promise<void>>();

/** Run `prepare` before `cmd` (a command of the program) parses its arguments or prints its help. */
export function prepareWith(cmd: Command, prepare: () => Promise<void>): Command {
  preparations.set(cmd, prepare);
  return cmd;
}

/**
 * Prepare the program's commands that the arguments name: `ariadne classify …`,
 * `ariadne classify --help`, `ariadne help classify`. A word that only looks like a command's
 * name (say, a file called `link`) merely loads that command's modules in vain.
 */
export async function prepareNamed(program: Command, args: readonly string[]): Promise<void> {
  await Promise.all(
    program.commands.filter((c) => args.includes(c.name())).map((c) => preparations.get(c)?.()),
  );
}
