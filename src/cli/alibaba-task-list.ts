// Alibaba's task list and Fjord's own jobs CSV share the extension; the header tells them apart.
import { closeSync, openSync, readSync } from "node:fs";

const HEADER_START = "name,cpu_milli,";

/** The Alibaba task list is a CSV whose header starts with `name,cpu_milli`; Fjord's CSV starts otherwise. */
export function isAlibabaTaskListText(text: string): boolean {
  return text.replace(/^\uFEFF/, "").startsWith(HEADER_START);
}

/** The same test on a file's first bytes, without reading a whole trace. */
export function isAlibabaTaskList(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, 0);
    return isAlibabaTaskListText(head.subarray(0, n).toString("utf8"));
  } finally {
    closeSync(fd);
  }
}
