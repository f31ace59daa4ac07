// Writes text that comes piece by piece to a file, a block of about a megabyte at a time: a long
// simulation's results.json is larger than one string may be, and is never held whole.
import { closeSync, openSync, writeSync } from "node:fs";

const BLOCK_CHARS = 1 << 20;

export function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    let block = "";
    for (const chunk of chunks) {
      block += chunk;
      if (block.length >= BLOCK_CHARS) {
        writeAll(fd, block);
        block = "";
      }
    }
    writeAll(fd, block);
  } finally {
    closeSync(fd);
  }
}

/** writeSync may write less than it is given; the rest follows until the block is out. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
