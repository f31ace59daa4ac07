// The API's JSON body parser: UTF-8 only, and checked to be UTF-8. Fastify's own refuses a `__proto__`
// key with "not valid JSON" and no field; a client sending `"labels": {"__proto__": …}` deserves to be
// told which key and why. JSON.parse keeps `__proto__` as an ordinary own key, so the body is parsed first
// and the keys checked after.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { formatPath } from "../model/input-error.ts";
import { PROTO_KEY_RULE, protoKeyPaths } from "../model/proto-keys.ts";
import { HttpProblem, PROBLEM_TYPES } from "./problem.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, bytes, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers["content-type"] ?? "")?.[1];
    if (charset !== undefined && charset.toLowerCase() !== "utf-8" && charset.toLowerCase() !== "utf8")
      return done(new HttpProblem(415, `the request body must be JSON in UTF-8, not ${charset}`));
    let body: string;
    try {
      // Fatal: bytes that are not UTF-8 would otherwise become U+FFFD and be stored as if the client sent it.
      body = UTF8.decode(bytes as Buffer);
    } catch {
      return done(badBody("the request body is not valid UTF-8"));
    }
    if (body.length === 0)
      return request.routeOptions.config.emptyBodyIsObject === true
        ? done(null, {})
        : done(badBody("Content-Type is application/json but the body is empty"));
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

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's body is an empty object, so no body (or an empty one) means just that. */
    emptyBodyIsObject?: boolean;
  }
}

/**
 * Route options for a POST that takes an empty object: a client that sends no body, or Content-Type JSON
 * with nothing after it, meant `{}` and gets what `{}` gets.
 */
export const emptyBodyIsObject = {
  config: { emptyBodyIsObject: true },
  preValidation: async (request: FastifyRequest): Promise<void> => {
    request.body ??= {};
  },
};

function badBody(detail: string): HttpProblem {
  return new HttpProblem(400, detail);
}
