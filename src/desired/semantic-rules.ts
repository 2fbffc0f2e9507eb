import type { Diagnostic } from "../model/diagnostic.js";
import { DEFAULT_SETTINGS } from "../model/desired-state.js";
import { addDays, isCalendarDate } from "./calendar-date.js";
import { DIAGNOSTIC_CODES } from "./diagnostic-codes.js";
import { didYouMean } from "../util/did-you-mean.js";
import { errorAt, warningAt } from "./make-diagnostic.js";
import type { PositionIndex } from "./position-index.js";

type Json = Record<string, unknown>;

/**
 * The rules JSON Schema cannot express (DESIGN.md §2). They run even when the schema found
 * problems, so one run reports everything; hence every read here is defensive.
 */
export function checkRules(root: Json, index: PositionIndex, today: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lineOf = (offset: number) => index.location(offset).line;
  const warningDays = integerOr(
    asRecord(root["settings"])?.["expiryWarningDays"],
    DEFAULT_SETTINGS.expiryWarningDays,
  );
  const warnUntil = addDays(today, warningDays);
  const checkExpiry = (entry: Json) => {
    const expires = entry["expires"];
    if (typeof expires !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(expires)) return; // the schema reports it
    const at = index.location(index.valueOffset(entry, "expires"));
    if (!isCalendarDate(expires)) {
      out.push(errorAt(DIAGNOSTIC_CODES.invalidDate, `expires: ${expires} is not a calendar date`, at));
    } else if (expires < today) {
      out.push(
        warningAt(
          DIAGNOSTIC_CODES.expiredGrant,
          `this grant expired on ${expires}; it is no longer desired and will be removed if it is live`,
          at,
        ),
      );
    } else if (expires <= warnUntil) {
      out.push(
        warningAt(
          DIAGNOSTIC_CODES.expiringGrant,
          `this grant expires on ${expires} (in ${daysBetween(today, expires)} days)`,
          at,
        ),
      );
    }
  };

  const teams = asRecord(root["teams"]) ?? {};
  for (const [team, members] of Object.entries(teams)) {
    if (!Array.isArray(members)) continue;
    const firstSeen = new Map<string, number>();
    for (const member of members) {
      const entry = asRecord(member);
      if (entry === undefined) continue;
      checkExpiry(entry);
      const user = entry["user"];
      if (typeof user !== "string") continue;
      const offset = index.valueOffset(entry, "user");
      const first = firstSeen.get(user);
      if (first === undefined) firstSeen.set(user, offset);
      else
        out.push(
          errorAt(
            DIAGNOSTIC_CODES.duplicateMember,
            `user '${user}' is listed twice in team '${team}' (first on line ${lineOf(first)})`,
            index.location(offset),
          ),
        );
    }
  }

  const usedTeams = new Set<string>();
  const projects = Array.isArray(root["projects"]) ? (root["projects"] as unknown[]) : [];
  const ids = new Map<number, number>();
  const names = new Map<string, number>();
  for (const item of projects) {
    const project = asRecord(item);
    if (project === undefined) continue;
    const id = project["id"];
    if (typeof id === "number") {
      const offset = index.valueOffset(project, "id");
      const first = ids.get(id);
      if (first === undefined) ids.set(id, offset);
      else
        out.push(
          errorAt(
            DIAGNOSTIC_CODES.duplicateProject,
            `project ${id} is declared twice (first on line ${lineOf(first)})`,
            index.location(offset),
          ),
        );
    }
    const name = project["name"];
    if (typeof name === "string") {
      const offset = index.valueOffset(project, "name");
      const first = names.get(name);
      if (first === undefined) names.set(name, offset);
      else
        out.push(
          errorAt(
            DIAGNOSTIC_CODES.duplicateProject,
            `project '${name}' is declared twice (first on line ${lineOf(first)})`,
            index.location(offset),
          ),
        );
    }
    const collaborators = project["collaborators"];
    if (!Array.isArray(collaborators)) continue;
    const users = new Map<string, Json>();
    const teamRefs = new Map<string, number>();
    for (const raw of collaborators) {
      const entry = asRecord(raw);
      if (entry === undefined) continue;
      if (entry["expires"] !== undefined) checkExpiry(entry);
      const team = entry["team"];
      const user = entry["user"];
      if (typeof team === "string") {
        usedTeams.add(team);
        const offset = index.valueOffset(entry, "team");
        const at = index.location(offset);
        const first = teamRefs.get(team);
        if (first !== undefined) {
          out.push(
            errorAt(
              DIAGNOSTIC_CODES.duplicateTeamRef,
              `team '${team}' is included twice in this project (first on line ${lineOf(first)})`,
              at,
            ),
          );
          continue;
        }
        teamRefs.set(team, offset);
        if (!Object.hasOwn(teams, team)) {
          out.push(
            errorAt(
              DIAGNOSTIC_CODES.unknownTeam,
              `unknown team '${team}'${didYouMean(team, Object.keys(teams)) || noTeamsHint(teams)}`,
              at,
            ),
          );
        } else if (Array.isArray(teams[team]) && teams[team].length === 0) {
          out.push(errorAt(DIAGNOSTIC_CODES.emptyTeam, `team '${team}' has no members`, at));
        }
      } else if (typeof user === "string") {
        // Positions are looked up only for duplicates: this loop sees every grant of the file.
        const first = users.get(user);
        if (first === undefined) users.set(user, entry);
        else
          out.push(
            errorAt(
              DIAGNOSTIC_CODES.duplicateUser,
              `user '${user}' is listed twice in this project (first on line ${lineOf(index.valueOffset(first, "user"))}); merge the entries`,
              index.location(index.valueOffset(entry, "user")),
            ),
          );
      }
    }
  }

  for (const team of Object.keys(teams)) {
    if (!usedTeams.has(team)) {
      out.push(
        warningAt(
          DIAGNOSTIC_CODES.unusedTeam,
          `team '${team}' is not used by any project`,
          index.location(index.keyOffset(teams, team)),
        ),
      );
    }
  }
  return out;
}

function noTeamsHint(teams: Json): string {
  const names = Object.keys(teams);
  return names.length === 0
    ? " (no teams are defined under `teams:`)"
    : ` (defined: ${names.slice(0, 10).join(", ")})`;
}

function asRecord(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function integerOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
