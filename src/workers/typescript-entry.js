// Worker threads do not inherit the TypeScript loader the main thread registered (bin/fjord.js, the test
// runner), so each worker registers it itself, then loads the module its creator named.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
