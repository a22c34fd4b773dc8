import type { Command } from "commander";
import { ROLES } from "../../domain/roles.ts";
import type { SimpleChange } from "../actions/user.ts";
import { dbOption } from "../options.ts";

export function userCommands(program: Command) {
  const user = program.command("user").description("Manage staff accounts (every change is audited)");

  user
    .command("add <username>")
    .description(`Create an account. Roles: ${ROLES.join(", ")}`)
    .addOption(dbOption())
    .requiredOption("--name <display name>", "the person's name as shown")
    .option(
      "--role <role>",
      "a role (repeat for several)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      "--password-stdin",
      "read the password from standard input instead of issuing a one-time password",
    )
    .option("--json", "machine-readable output")
    .action(
      async (
        username: string,
        o: { db?: string; name: string; role: string[]; passwordStdin?: boolean; json?: boolean },
      ) => {
        await (await import("../actions/user.ts")).add(username, o);
      },
    );

  user
    .command("roles <username>")
    .description(`Set an account's roles (replacing them). Roles: ${ROLES.join(", ")}`)
    .addOption(dbOption())
    .option(
      "--role <role>",
      "a role (repeat for several)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--json", "machine-readable output")
    .action(async (username: string, o: { db?: string; role: string[]; json?: boolean }) => {
      await (await import("../actions/user.ts")).roles(username, o);
    });

  user
    .command("list")
    .description("List accounts")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; json?: boolean }) => {
      await (await import("../actions/user.ts")).list(o);
    });

  const simple = (name: SimpleChange, description: string) =>
    user
      .command(`${name} <username>`)
      .description(description)
      .addOption(dbOption())
      .option("--json", "machine-readable output")
      .action(async (username: string, o: { db?: string; json?: boolean }) => {
        await (await import("../actions/user.ts")).simple(name, username, o);
      });

  simple("disable", "Disable an account and end its sessions");
  simple("enable", "Enable a disabled account");
  simple("reset-mfa", "Remove the second factor; the user enrols again at next sign-in");
  simple("unlock", "Clear the waits that failed sign-ins put on the account's username");
  user
    .command("reset-password <username>")
    .description("Issue a one-time password and end the user's sessions")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (username: string, o: { db?: string; json?: boolean }) => {
      await (await import("../actions/user.ts")).resetPassword(username, o);
    });

  user
    .command("break-glass <approval-id>")
    .description(
      "Make a change waiting for a second administrator without one (a node with a single administrator); loud: audited with the reason and shown to every administrator and auditor",
    )
    .addOption(dbOption())
    .requiredOption("--reason <why>", "why no second administrator could approve it (at least 10 characters)")
    .option("--json", "machine-readable output")
    .action(async (approvalId: string, o: { db?: string; reason: string; json?: boolean }) => {
      await (await import("../actions/user.ts")).breakGlass(approvalId, o);
    });
}
