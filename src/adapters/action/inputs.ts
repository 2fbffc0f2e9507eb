import { QcCollabError } from "../../model/errors.js";

export const ACTION_COMMANDS = ["validate", "plan", "apply", "drift"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The inputs of action.yml, parsed. Empty strings (GitHub's "not given") become undefined. */
export interface ActionInputs {
  readonly command: ActionCommand;
  readonly config: string;
  readonly apiUrl: string | undefined;
  readonly userId: string | undefined;
  readonly apiToken: string | undefined;
  readonly githubToken: string | undefined;
  readonly commentOnPr: boolean;
  readonly maxDeletions: number | undefined;
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** `getInput` is @actions/core's (INPUT_<NAME> from the environment); injected so this stays pure. */
export function parseInputs(getInput: (name: string) => string): ActionInputs {
  const command = optional(getInput("command")) ?? "plan";
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new QcCollabError(
      "E_USAGE",
      `input command: ${JSON.stringify(command)} is not one of ${ACTION_COMMANDS.join(", ")}`,
    );
  }
  const comment = (optional(getInput("comment-on-pr")) ?? "true").toLowerCase();
  if (comment !== "true" && comment !== "false") {
    throw new QcCollabError(
      "E_USAGE",
      `input comment-on-pr: expected true or false, got ${JSON.stringify(comment)}`,
    );
  }
  const rawMax = optional(getInput("max-deletions"));
  if (rawMax !== undefined && !/^\d+$/.test(rawMax)) {
    throw new QcCollabError(
      "E_USAGE",
      `input max-deletions: expected a whole number, got ${JSON.stringify(rawMax)}`,
    );
  }
  return {
    command: command as ActionCommand,
    config: optional(getInput("config")) ?? "collaborators.yaml",
    apiUrl: optional(getInput("api-url")),
    userId: optional(getInput("user-id")),
    apiToken: optional(getInput("api-token")),
    githubToken: optional(getInput("github-token")),
    commentOnPr: comment === "true",
    maxDeletions: rawMax === undefined ? undefined : Number(rawMax),
  };
}
