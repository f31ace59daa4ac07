import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fjordInProcess } from "../../test/support/cli.ts";

const packageVersion = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

describe("fjord --version", () => {
  it.each(["--version", "-V"])("%s prints the installed release's version and exits 0", async (flag) => {
    const run = await fjordInProcess(flag);
    expect(run).toEqual({ code: 0, stdout: `${packageVersion}\n`, stderr: "" });
  });
});
