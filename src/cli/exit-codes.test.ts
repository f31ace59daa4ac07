import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { InputError, issueAt } from "../model/input-error.ts";
import {
  CliFailure,
  EXIT_AUDIT_BROKEN,
  EXIT_AUTH,
  EXIT_BAD_INPUT,
  EXIT_CODES_HELP,
  EXIT_NOT_FOUND,
  EXIT_OK,
  EXIT_UNAVAILABLE,
  EXIT_UNEXPECTED,
  exitCodeFor,
} from "./exit-codes.ts";
import type { CliIo } from "./io.ts";

function capture(): { io: CliIo; err: () => string } {
  let err = "";
  return {
    io: {
      out: () => {},
      err: (text) => {
        err += text;
      },
    },
    err: () => err,
  };
}

describe("exitCodeFor", () => {
  it("input errors: 2, with every problem on stderr", () => {
    const c = capture();
    const err = new InputError("p.yaml", [issueAt(["tiers", 0, "id"], "is required")]);
    expect(exitCodeFor(err, c.io)).toBe(EXIT_BAD_INPUT);
    expect(c.err()).toBe("p.yaml: tiers[0].id: is required\n");
  });

  it("commander: 0 after --help, 2 for a bad command line, printing nothing more", () => {
    const c = capture();
    expect(exitCodeFor(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"), c.io)).toBe(EXIT_OK);
    expect(exitCodeFor(new CommanderError(1, "commander.unknownOption", "error: x"), c.io)).toBe(
      EXIT_BAD_INPUT,
    );
    expect(c.err()).toBe("");
  });

  it("anything else is a bug: 1, with the stack", () => {
    const c = capture();
    expect(exitCodeFor(new TypeError("x is undefined"), c.io)).toBe(EXIT_UNEXPECTED);
    expect(c.err()).toMatch(
      /^fjord: unexpected error \(a bug in fjord; please report it\):\nTypeError: x is undefined\n {4}at /,
    );
  });

  it("a failure a command has described: its own exit code, its message as it is, no stack", () => {
    const c = capture();
    expect(exitCodeFor(new CliFailure("fjord: cannot reach the Fjord API", EXIT_UNAVAILABLE), c.io)).toBe(
      EXIT_UNAVAILABLE,
    );
    expect(c.err()).toBe("fjord: cannot reach the Fjord API\n");
  });

  it("every exit code has its own number and a line in the help", () => {
    const codes = [
      EXIT_OK,
      EXIT_UNEXPECTED,
      EXIT_BAD_INPUT,
      EXIT_NOT_FOUND,
      EXIT_AUTH,
      EXIT_UNAVAILABLE,
      EXIT_AUDIT_BROKEN,
    ];
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code}  \\S`, "m"));
  });
});
