import { runAction } from "../action.js";

// The bundle's entry point (dist/index.js): GitHub runs this file with node.
await runAction();
