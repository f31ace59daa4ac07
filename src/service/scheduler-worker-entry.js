// Worker threads do not inherit the TypeScript loader the main thread registered (bin/fjord.js, the test
// runner), so the scheduler thread registers it itself before loading its module.
import { register } from "tsx/esm/api";

register();
await import("./scheduler-worker.ts");
