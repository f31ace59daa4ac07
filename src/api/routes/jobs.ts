// /v1/jobs: submit (idempotent with an Idempotency-Key), list, read and cancel. Every id of another tenant
// answers 404, exactly like an id that was never used.
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { asSubmitted } from "../../accounting/deferral-decision.ts";
import { strict } from "../../model/input-schemas.ts";
import type { Job } from "../../model/types.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { auditOperatorRead } from "../audit-reads.ts";
import { canSeeTenant, ownTenant, tenantScope } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import type { Caller } from "../auth/authenticator.ts";
import { newId } from "../ids.ts";
import { HttpProblem, jobRefused, notFound, PROBLEM_TYPES, unprocessable } from "../problem.ts";
import { DEFAULT_PAGE_LIMIT, pageOf, pageQueryShape, pathId, tenantIdParam } from "../schemas/common.ts";
import { JOB_STATES, jobToWire, jobWireSchema } from "../schemas/job.ts";
import {
  type JobSubmission,
  jobFromSubmission,
  jobSubmissionSchema,
  submissionTimeProblem,
} from "../schemas/job-submission.ts";
import { withProblems } from "../schemas/responses.ts";

const submitHeaders = z.looseObject({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, "must be 1 to 255 visible ASCII characters")
    .meta({ example: "ci-4812-finetune-nb" })
    .optional()
    .describe("Retrying a POST with the same key returns the job it created (200) instead of a second job."),
});

const listQuery = strict({
  state: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((s) => s.split(",")))
    .pipe(z.array(z.enum(JOB_STATES)).transform((states) => [...new Set(states)]))
    .optional()
    .describe("States to include, comma-separated or repeated, e.g. queued,running."),
  tenant: tenantIdParam.optional().describe("Operators: only this tenant's jobs."),
  ...pageQueryShape,
});

const jobParams = strict({ id: pathId });

export function jobRoutes(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "Submit a job",
        description:
          "Checks the job against the facility and policy and queues it. A job that can never run here is " +
          "refused with 422 naming the field. With an Idempotency-Key, a retried POST returns the job it " +
          "created with 200; the same key with a different body is a 409.",
        headers: submitHeaders,
        body: jobSubmissionSchema,
        response: withProblems({ 200: jobWireSchema, 201: jobWireSchema }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const tenantId = submissionTenant(caller, request.body.tenant);
      const atMs = ctx.controlPlane.nowMs();
      const timeProblem = submissionTimeProblem(request.body, atMs);
      if (timeProblem !== null) throw unprocessable(timeProblem.field, timeProblem.reason);
      const job = jobFromSubmission(request.body, { id: newId("job", atMs), tenantId, submittedAtMs: atMs });
      const outcome = await ctx.controlPlane.submit(caller, job, request.headers["idempotency-key"] ?? null);
      if (!outcome.ok) throw jobRefused(outcome.field, outcome.reason);
      if (outcome.created)
        return reply.code(201).header("location", `/v1/jobs/${job.id}`).send(jobToWire(outcome.record));
      if (!sameSubmission(outcome.record.job, request.body, tenantId))
        throw new HttpProblem(
          409,
          `Idempotency-Key was already used for job ${outcome.record.job.id} with a different body; ` +
            "use a new key for a new job",
          { type: PROBLEM_TYPES.idempotencyConflict, title: "Idempotency key reused" },
        );
      return reply.code(200).send(jobToWire(outcome.record));
    },
  );

  app.get(
    "/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "List jobs",
        description: "In submission order. Tenant keys see their own tenant's jobs only.",
        querystring: listQuery,
        response: withProblems({ 200: pageOf(jobWireSchema) }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { state, tenant, limit, cursor } = request.query;
      const page = await ctx.store.listJobs({
        tenantId: tenantScope(caller, tenant),
        states: state,
        limit: limit ?? DEFAULT_PAGE_LIMIT,
        cursor: cursor ?? null,
      });
      await auditOperatorRead(
        ctx,
        caller,
        page.items.map((r) => r.job.tenantId),
        { action: "jobs.read", objectType: "tenant", objectId: (t) => t, details: { state: state ?? null } },
      );
      return { items: page.items.map(jobToWire), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/jobs/:id",
    {
      schema: {
        tags: ["jobs"],
        summary: "Read a job",
        params: jobParams,
        response: withProblems({ 200: jobWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const record = await ctx.store.getJob(request.params.id);
      if (record === null || !canSeeTenant(caller, record.job.tenantId))
        throw notFound(`no job ${request.params.id}`);
      await auditOperatorRead(ctx, caller, [record.job.tenantId], {
        action: "job.read",
        objectType: "job",
        objectId: () => record.job.id,
      });
      return jobToWire(record);
    },
  );

  app.post(
    "/jobs/:id/cancel",
    {
      schema: {
        tags: ["jobs"],
        summary: "Cancel a job",
        description: "Cancels a queued or running job; a job that has already ended is a 409.",
        params: jobParams,
        response: withProblems({ 200: jobWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const record = await ctx.store.getJob(id);
      if (record === null || !canSeeTenant(caller, record.job.tenantId)) throw notFound(`no job ${id}`);
      const outcome = await ctx.controlPlane.cancel(caller, id);
      if (outcome.ok) return jobToWire(outcome.record);
      if (outcome.kind === "not-found") throw notFound(`no job ${id}`);
      throw new HttpProblem(409, `job ${id} has already ended (${outcome.record.state})`, {
        type: PROBLEM_TYPES.jobFinished,
        title: "Job already ended",
      });
    },
  );
}

/** Operators name the tenant; tenant keys submit for their own tenant, named or not. */
function submissionTenant(caller: Caller, requested: string | undefined): string {
  if (caller.role === "operator") {
    if (requested === undefined)
      throw unprocessable("tenant", "is required: operator keys submit for a named tenant");
    return requested;
  }
  if (requested !== undefined && requested !== caller.tenantId)
    throw unprocessable("tenant", `must be this key's tenant, ${caller.tenantId}, or left out`);
  return ownTenant(caller);
}

/**
 * Whether a retried body asks for the job already stored: the same submission, read under the stored id and
 * time (a name left out defaults to the id, so it must be compared under the same id).
 */
function sameSubmission(stored: Job, body: JobSubmission, tenantId: string): boolean {
  const retried = jobFromSubmission(body, { id: stored.id, tenantId, submittedAtMs: stored.submittedAtMs });
  // The stored job carries the deferral decided when it was first submitted; the retry cannot.
  return isDeepStrictEqual(asSubmitted(stored), retried);
}
