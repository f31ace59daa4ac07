// Makes the shipped initialised PGlite data directory for the installed PGlite version (see
// pglite-template.ts): initdb in memory, a checkpoint so the copy needs no recovery, and the tar PGlite
// dumps, compressed with brotli (40 MB of mostly empty WAL and catalogue pages become about 1.3 MB).
// Run after upgrading PGlite: node --import tsx src/store/make-pglite-template.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { installedPGliteVersion, templateFile } from "./pglite-template.ts";

const pglite = await PGlite.create();
await pglite.query("checkpoint");
const tar = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
await pglite.close();
const file = templateFile(installedPGliteVersion());
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  brotliCompressSync(tar, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  }),
);
console.log(`wrote ${file}`);
