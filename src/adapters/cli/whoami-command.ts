import { Option, type Command } from "commander";
import { addConnectionOptions, connectToQuantConnect, type ConnectionFlags } from "./connect.js";
import type { CliContext } from "./context.js";

interface WhoamiFlags extends ConnectionFlags {
  readonly format: "text" | "json";
}

/** `qc-collab whoami`: proves the credentials work (/authenticate) and says whose they are. */
export function registerWhoamiCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("whoami")
    .description("check the QuantConnect credentials through /authenticate and show the user id")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"));
  addConnectionOptions(command).action(async (flags: WhoamiFlags) => {
    const connection = await connectToQuantConnect(ctx, flags);
    try {
      await connection.api.authenticate();
    } finally {
      await connection.close();
    }
    const where = connection.sandbox ? `${connection.apiUrl} (embedded sandbox)` : connection.apiUrl;
    if (flags.format === "json") {
      const result = {
        formatVersion: 1,
        authenticated: true,
        userId: connection.identity.uid,
        apiUrl: connection.apiUrl,
        sandbox: connection.sandbox,
      };
      ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      ctx.stdout.write(`Authenticated to QuantConnect as user ${connection.identity.uid}\nAPI: ${where}\n`);
    }
  });
}
