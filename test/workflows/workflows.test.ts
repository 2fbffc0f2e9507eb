import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateAction, validateWorkflow, type ValidationError } from "@action-validator/core";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/run-cli.js";

const WORKFLOWS_DIR = join(REPO_ROOT, ".github", "workflows");
const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((name) => /\.ya?ml$/.test(name));

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { group: string; "cancel-in-progress": boolean };
  readonly jobs: Record<string, Job>;
}

function readWorkflow(name: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS_DIR, name), "utf8")) as Workflow;
}

function describeErrors(errors: readonly ValidationError[]): string[] {
  return errors.map((error) => ("path" in error ? `${error.path}: ${error.title}` : error.detail));
}

function actionSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.uses === "./"));
}

describe("workflow and action files against the GitHub schemas", () => {
  it("finds the four workflows", () => {
    expect(workflowFiles.sort()).toEqual(["apply.yml", "ci.yml", "drift.yml", "plan.yml"]);
  });

  it.each(workflowFiles)("%s is a valid workflow", (name) => {
    const result = validateWorkflow(readFileSync(join(WORKFLOWS_DIR, name), "utf8"));
    expect(result.actionType).toBe("workflow");
    expect(describeErrors(result.errors)).toEqual([]);
  });

  it("action.yml is a valid action", () => {
    const result = validateAction(readFileSync(join(REPO_ROOT, "action.yml"), "utf8"));
    expect(result.actionType).toBe("action");
    expect(describeErrors(result.errors)).toEqual([]);
  });

  it("the validator does reject a broken workflow (the check can fail)", () => {
    const result = validateWorkflow("on: push\njobs:\n  a:\n    runs-onx: ubuntu-latest\n    steps: []\n");
    expect(result.errors.length).toBeGreaterThan(0);
  });
});

describe("workflow policy", () => {
  it("no workflow grants write permissions at the top level; every job declares its own", () => {
    for (const name of workflowFiles) {
      const workflow = readWorkflow(name);
      const top = workflow.permissions;
      expect(top, name).toBeDefined();
      if (typeof top === "object") {
        for (const level of Object.values(top)) expect(level, name).not.toBe("write");
      } else {
        expect(top, name).not.toMatch(/write/);
      }
      if (name === "ci.yml") continue; // read-only at the top, nothing more needed
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        expect(job.permissions, `${name} ${jobName}`).toBeDefined();
      }
    }
  });

  it("plan.yml never applies and never hands secrets to a fork", () => {
    const workflow = readWorkflow("plan.yml");
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const commands = actionSteps(workflow).map((step) => step.with?.["command"]);
    expect(commands).not.toContain("apply");
    for (const job of Object.values(workflow.jobs)) {
      const usesSecrets = JSON.stringify(job.steps).includes("secrets.");
      if (usesSecrets) {
        expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
      }
    }
    const planJob = workflow.jobs["plan"];
    expect(planJob?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("apply.yml runs on push to main and applies never overlap", () => {
    const workflow = readWorkflow("apply.yml");
    expect(workflow.on["push"]).toMatchObject({ branches: ["main"] });
    expect(workflow.concurrency).toEqual({ group: "qc-collab-apply", "cancel-in-progress": false });
    expect(actionSteps(workflow).map((step) => step.with?.["command"])).toEqual(["apply"]);
    expect(workflow.jobs["apply"]?.permissions).toEqual({ contents: "read" });
  });

  it("drift.yml runs on a schedule and by hand, and may only write issues", () => {
    const workflow = readWorkflow("drift.yml");
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(actionSteps(workflow).map((step) => step.with?.["command"])).toEqual(["drift"]);
    expect(workflow.jobs["drift"]?.permissions).toEqual({ contents: "read", issues: "write" });
  });

  it("ci.yml checks that the bundled action is up to date", () => {
    const workflow = readWorkflow("ci.yml");
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run));
    expect(runs).toEqual(
      expect.arrayContaining([
        "npm ci",
        "npm run lint",
        "npm run typecheck",
        "npm test",
        "npm run bundle:check",
      ]),
    );
  });

  it("action.yml declares the documented inputs and outputs", () => {
    const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual(
      [
        "api-token",
        "api-url",
        "comment-on-pr",
        "command",
        "config",
        "github-token",
        "max-deletions",
        "user-id",
      ].sort(),
    );
    expect(action.inputs["config"]?.default).toBe("collaborators.yaml");
    expect(action.inputs["github-token"]?.default).toBe("${{ github.token }}");
    expect(Object.keys(action.outputs).sort()).toEqual(["has-changes", "plan-file", "summary"]);
    expect(action.runs).toEqual({ using: "node20", main: "dist/index.js" });
  });
});
