export type * from "./access.js";
export * from "./source-location.js";
export type * from "./diagnostic.js";
export * from "./desired-state.js";
export type * from "./live-state.js";
export type * from "./plan.js";
export * from "./errors.js";
