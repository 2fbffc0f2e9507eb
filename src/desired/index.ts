export { parseDesiredState, type ParseDesiredOptions } from "./parse-desired-state.js";
export { loadDesiredFile, type LoadDesiredOptions } from "./load-desired-file.js";
export {
  DIAGNOSTIC_CODES,
  MAX_CONFIG_BYTES,
  MAX_ALIAS_NODES,
  type DiagnosticCode,
} from "./diagnostic-codes.js";
export { COLLABORATORS_SCHEMA } from "./schema-check.js";
