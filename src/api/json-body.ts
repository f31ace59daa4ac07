// The API's JSON body parser. Fastify's own refuses a `__proto__` key with "not valid JSON" and no field;
// a client sending `"labels": {"__proto__": …}` deserves to be told which key and why. JSON.parse keeps
// `__proto__` as an ordinary own key, so the body is parsed first and the keys checked after.
import type { FastifyInstance } from "fastify";
import { formatPath } from "../model/input-error.ts";
import { PROTO_KEY_RULE, protoKeyPaths } from "../model/proto-keys.ts";
import { HttpProblem, PROBLEM_TYPES } from "./problem.ts";

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => {
    const body = text as string;
    if (body.length === 0) return done(badBody("Content-Type is application/json but the body is empty"));
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return done(badBody("the request body is not valid JSON"));
    }
    const protoKeys = protoKeyPaths(value);
    if (protoKeys.length === 0) return done(null, value);
    done(
      new HttpProblem(400, "the request body is not valid", {
        type: PROBLEM_TYPES.invalidRequest,
        title: "Invalid request",
        errors: protoKeys.map((path) => ({ field: formatPath(path), reason: PROTO_KEY_RULE })),
      }),
    );
  });
}

function badBody(detail: string): HttpProblem {
  return new HttpProblem(400, detail);
}
