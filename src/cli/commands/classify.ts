/**
 * `ariadne classify`: one incident's recorded elements as JSON on standard input → its ICCS class,
 * whether it counts as kidnapping, its operational type and the reasons. The action and the help's
 * list of fields come from src/cli/actions/classify.ts, loaded only when the command is named.
 */
import type { Command } from "commander";
import { prepareWith } from "../lazy.ts";

export function classifyCommand(program: Command) {
  let fields = "";
  const cmd = program
    .command("classify")
    .description(
      "Classify one incident under the common definition (ECOSOC 2002/16 §1): ICCS code, kidnapping or not, operational type, reasons",
    )
    .addHelpText("after", () => fields)
    .action(async () => {
      await (await import("../actions/classify.ts")).classifyStdin();
    });
  prepareWith(cmd, async () => {
    fields = (await import("../actions/classify.ts")).fieldsHelp();
  });
}
