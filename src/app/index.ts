export * from "./read-live-state.js";
export * from "./plan-from-desired.js";
export * from "./apply-saved-plan.js";
export * from "./journal-identity.js";
export * from "../apply/apply-plan.js";
export * from "../apply/journal.js";
export type * from "../model/apply-result.js";
