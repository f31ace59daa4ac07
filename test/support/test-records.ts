// Records and transitions for store tests, small enough that each test shows the case it is about.

import type { Allocation, Job } from "../../src/model/types.ts";
import { type AuditDraft, type JobRecord, queuedRecord } from "../../src/store/records.ts";
import type { JobTransition } from "../../src/store/store.ts";
import { job, T0 } from "./build.ts";

export { T0 };

export function testJob(id: string, tenantId: string, submittedAtMs: number = T0): Job {
  return { ...job(tenantId), id, submittedAtMs, labels: { team: "a" } };
}

export function queued(j: Job, idempotencyKey: string | null = null): JobRecord {
  return queuedRecord(j, "key_test", idempotencyKey);
}

export function draft(
  action: string,
  objectId: string,
  atMs: number = T0,
  tenantId: string | null = "t1",
): AuditDraft {
  return { atMs, actor: "key_test", action, tenantId, objectType: "job", objectId, details: { via: "test" } };
}

/** GPUs as [node, gpu index] pairs, all at one site. */
export function gpus(...pairs: [string, number][]): Allocation {
  const nodes = new Map<string, number[]>();
  for (const [nodeId, gpu] of pairs) nodes.set(nodeId, [...(nodes.get(nodeId) ?? []), gpu]);
  return { siteId: "s1", nodes: [...nodes].map(([nodeId, list]) => ({ nodeId, gpus: list })) };
}

export function start(jobId: string, atMs: number, allocation: Allocation): JobTransition {
  return { kind: "start", jobId, atMs, allocation, audit: draft("job.start", jobId, atMs) };
}

export function finish(
  jobId: string,
  atMs: number,
  outcome: "completed" | "failed" = "completed",
): JobTransition {
  return { kind: "finish", jobId, atMs, outcome, audit: draft(`job.${outcome}`, jobId, atMs) };
}

export function requeue(jobId: string, atMs: number): JobTransition {
  return { kind: "requeue", jobId, atMs, audit: draft("job.requeue", jobId, atMs) };
}

export function cancel(jobId: string, atMs: number): JobTransition {
  return { kind: "cancel", jobId, atMs, audit: draft("job.cancel", jobId, atMs) };
}
