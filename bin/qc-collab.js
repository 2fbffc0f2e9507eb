#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in build/ (built by `npm install` through `prepare`).
import { main } from "../build/src/adapters/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
