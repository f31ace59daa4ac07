#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader, so a fresh clone needs no build step.
import { readFileSync } from "node:fs";

// Refuse an older Node with a sentence instead of a syntax or import error deep inside a dependency.
const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const oldest = /^>=(\d+)\.(\d+)/.exec(engines.node);
const [major, minor] = process.versions.node.split(".").map(Number);
if (oldest !== null && (major < +oldest[1] || (major === +oldest[1] && minor < +oldest[2]))) {
  process.stderr.write(
    `fjord: needs Node.js ${engines.node.slice(2)} or newer; this is ${process.versions.node}\n`,
  );
  process.exit(2);
}

const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
