// What the /docs page shows is realistic: a docs UI invents a value for every field without an example
// (the lowest integer zod allows, a random string matching the date-time pattern, so "waitingCount
// -9007199254740991" and dates in the year 8210). Every number and every patterned string a parameter,
// body or response holds is covered by an example on itself or a schema around it, and every example
// validates against its own schema and reads like data: no number near the safe-integer bounds, dates in
// 2000–2100.
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../test/support/api-test-harness.ts";

type Schema = Record<string, unknown>;
interface Operation {
  parameters?: { name: string; in: string; schema: Schema; example?: unknown }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

let api: TestApi;
let paths: Record<string, Record<string, Operation>>;
beforeAll(async () => {
  api = await startTestApi();
  paths = (await api.call(null, "GET", "/openapi.json")).json().paths;
});
afterAll(() => api.close());

/** Schemas a docs UI renders, by where they are; bodies only in JSON (text bodies show as text). */
function* rendered(): Generator<[string, Schema, unknown]> {
  for (const [path, ops] of Object.entries(paths))
    for (const [method, op] of Object.entries(ops)) {
      const route = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) yield [`${route} ${p.in} ${p.name}`, p.schema, p.example];
      const bodies = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, c]) => ["request", type, c] as const),
        ...Object.entries(op.responses).flatMap(([status, r]) =>
          Object.entries(r.content ?? {}).map(([type, c]) => [status, type, c] as const),
        ),
      ];
      for (const [what, type, content] of bodies)
        if (type.endsWith("json")) yield [`${route} ${what}`, content.schema, undefined];
    }
}

/** Where a docs UI would make up a value: a number, or a string it must generate from a pattern. */
function needsExample(schema: Schema): boolean {
  return (
    schema.type === "integer" ||
    schema.type === "number" ||
    (schema.type === "string" && (schema.pattern !== undefined || schema.format !== undefined))
  );
}

function exampleOf(schema: Schema): unknown {
  if ("example" in schema) return schema.example;
  if (Array.isArray(schema.examples)) return schema.examples[0];
  return undefined;
}

/** Leaves with no example on the way down from the root; every example found, with its schema. */
function walk(
  schema: Schema,
  at: string,
  covered: boolean,
  out: { bare: string[]; examples: [string, Schema, unknown][] },
): void {
  const example = exampleOf(schema);
  if (example !== undefined) out.examples.push([at, schema, example]);
  const here = covered || example !== undefined;
  if (needsExample(schema) && !here) out.bare.push(at);
  for (const key of ["anyOf", "oneOf", "allOf"] as const)
    for (const [i, s] of ((schema[key] as Schema[] | undefined) ?? []).entries())
      walk(s, `${at}|${i}`, here, out);
  for (const [name, s] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {}))
    walk(s, `${at}.${name}`, here, out);
  if (typeof schema.additionalProperties === "object")
    walk(schema.additionalProperties as Schema, `${at}.*`, here, out);
  if (typeof schema.items === "object") walk(schema.items as Schema, `${at}[]`, here, out);
}

const YEAR_2000_MS = Date.UTC(2000, 0, 1);
const YEAR_2100_MS = Date.UTC(2100, 0, 1);

/** Why a value does not read like data, or null. */
function unrealistic(value: unknown, at: string): string | null {
  if (typeof value === "number") {
    // Fields named …Ms are instants in epoch milliseconds: they must fall in 2000–2100 like dates.
    if (at.endsWith("Ms"))
      return value >= YEAR_2000_MS && value < YEAR_2100_MS ? null : `${at}: ${value} is outside 2000–2100`;
    if (Math.abs(value) >= 1e12) return `${at}: ${value} is no realistic figure`;
  }
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) {
    const year = Number(value.slice(0, 4));
    if (year < 2000 || year > 2100) return `${at}: ${value} is outside 2000–2100`;
  }
  if (Array.isArray(value)) return value.map((v, i) => unrealistic(v, `${at}[${i}]`)).find((p) => p) ?? null;
  if (typeof value === "object" && value !== null)
    return (
      Object.entries(value)
        .map(([k, v]) => unrealistic(v, `${at}.${k}`))
        .find((p) => p) ?? null
    );
  return null;
}

describe("the examples on /docs", () => {
  it("cover every number and patterned string of every parameter, body and response", () => {
    const bare: string[] = [];
    for (const [at, schema, parameterExample] of rendered()) {
      const out = { bare: [] as string[], examples: [] as [string, Schema, unknown][] };
      walk(schema, at, parameterExample !== undefined, out);
      bare.push(...out.bare);
    }
    expect(bare).toEqual([]);
  });

  it("validate against their own schema and read like real data", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const problems: string[] = [];
    let checked = 0;
    for (const [at, schema, parameterExample] of rendered()) {
      const out = { bare: [] as string[], examples: [] as [string, Schema, unknown][] };
      walk(schema, at, false, out);
      if (parameterExample !== undefined) out.examples.push([at, schema, parameterExample]);
      for (const [where, s, example] of out.examples) {
        checked += 1;
        if (!ajv.validate(s, example)) problems.push(`${where}: ${ajv.errorsText()}`);
        const odd = unrealistic(example, where);
        if (odd) problems.push(odd);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
