export * from "./effective-access.js";
export * from "./resolve-projects.js";
export * from "./fingerprint.js";
export * from "./build-plan.js";
export * from "./guards.js";
export * from "./plan-file.js";
export * from "./simulate.js";
