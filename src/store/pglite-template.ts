// A freshly initialised PGlite data directory, shipped with Fjord: creating one runs initdb, which takes
// 4–15 s and was most of a first `npm start`; loading this copy into a new data directory takes well under
// one. It holds initdb's output only (no Fjord schema; migrations run after it as on any start), and fits
// exactly one PGlite version, named in its file name: with another version installed it is not used and
// the database is initialised as before. `node --import tsx src/store/make-pglite-template.ts` makes it
// again after PGlite is upgraded (a test says when).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";

/** The PGlite version installed, from its package.json. */
export function installedPGliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  // dist/index.js → the package's root
  const pkg = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Where the template for `version` lives (brotli-compressed tar, as PGlite's dumpDataDir writes it). */
export function templateFile(version: string): string {
  return fileURLToPath(new URL(`./pglite-template/initdb-${version}.tar.br`, import.meta.url));
}

/** The template for the installed PGlite as the tar PGlite's loadDataDir takes, or null if none fits. */
export function initialisedDataDir(): Blob | null {
  const file = templateFile(installedPGliteVersion());
  if (!existsSync(file)) return null;
  return new Blob([new Uint8Array(brotliDecompressSync(readFileSync(file)))]);
}
