// `fjord serve` refuses options it cannot use before it opens anything, naming the option.
import { describe, expect, it } from "vitest";
import { fjordInProcess as fjord } from "../../test/support/cli.ts";
import { EXIT_BAD_INPUT } from "./exit-codes.ts";

describe("fjord serve options", () => {
  it("refuses a --trust-proxy entry that is not an address or CIDR range", async () => {
    for (const entry of ["10.0.0.0/99", "proxy.example", "10.0.0.1/8/2", "::1/129"]) {
      const run = await fjord("serve", "--trust-proxy", `127.0.0.1,${entry}`, "--port", "0", "--no-log");
      expect(run.code).toBe(EXIT_BAD_INPUT);
      expect(run.stderr).toBe(`--trust-proxy: "${entry}" is not an IP address or CIDR range\n`);
    }
  });
});
