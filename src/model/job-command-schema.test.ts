import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkCommand, commandFields, jobCommandOf, jobCommandShape } from "./job-command-schema.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

const schema = z.object(jobCommandShape).superRefine(checkCommand);
const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/).filter((n) => !/^(FJORD_|SLURM_)/.test(n));

describe("a job's command fields", () => {
  it("come back as given from the model's command, its environment sorted by name", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 30 }), { maxLength: 8 }),
        fc.dictionary(envName, fc.string({ unit: "grapheme", maxLength: 30 }), { maxKeys: 20 }),
        (args, env) => {
          const fields = { command: ["prog", ...args], env, workDir: "/w", stdoutPath: null };
          const parsed = schema.safeParse(fields);
          expect(parsed.success).toBe(true);
          const command = jobCommandOf(parsed.data!)!;
          const names = command.env.map((v) => v.name);
          expect(names).toEqual([...names].sort());
          const back = commandFields(command);
          expect(back.command).toEqual(fields.command);
          expect(back.env).toEqual(env);
          expect(Object.keys(back.env!).sort()).toEqual(Object.keys(env).sort());
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("are all null for a job that gives no command", () => {
    expect(jobCommandOf({})).toBeNull();
    expect(commandFields(null)).toEqual({
      command: null,
      workDir: null,
      env: null,
      stdoutPath: null,
      stderrPath: null,
    });
  });
});
