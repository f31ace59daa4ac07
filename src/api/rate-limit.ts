// Requests per minute per API key (not per address: many tenants share NATs, and one tenant's scripts must
// not spend another's allowance). A key's own rateLimitPerMin overrides the server default. It runs after
// authentication, so unauthenticated requests are refused before they count.
import rateLimit from "@fastify/rate-limit";
import type { FastifyRequest } from "fastify";
import type { ApiApp } from "./api-context.ts";
import { callerOf } from "./auth/authenticate-hook.ts";
import { HttpProblem, PROBLEM_TYPES } from "./problem.ts";

const WINDOW_MS = 60_000;

export async function registerRateLimit(app: ApiApp, defaultPerMin: number): Promise<void> {
  await app.register(rateLimit, {
    hook: "preParsing",
    timeWindow: WINDOW_MS,
    keyGenerator: (request: FastifyRequest) => callerOf(request).keyId,
    max: (request: FastifyRequest) => callerOf(request).rateLimitPerMin ?? defaultPerMin,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, `this key may make ${context.max} requests a minute; retry in ${context.after}`, {
        type: PROBLEM_TYPES.rateLimited,
        title: "Too many requests",
      }),
  });
}
