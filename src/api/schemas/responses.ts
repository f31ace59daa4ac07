// Response maps for route schemas: the success bodies a route declares, plus the problem document for
// every 4xx and 5xx, so the OpenAPI document shows both and responses are checked against them.
import type { z } from "zod";
import { PROBLEM_CONTENT_TYPE } from "../problem.ts";
import { problemSchema } from "./common.ts";

/** A response described per content type, for bodies that are not JSON. */
export interface ContentResponse {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
});

export function withProblems<R extends Record<number, z.ZodType | ContentResponse>>(success: R) {
  return {
    ...success,
    "4xx": problemResponse("The request was refused; `errors` names each field that is wrong."),
    "5xx": problemResponse("Fjord failed; the request may be retried."),
  };
}
