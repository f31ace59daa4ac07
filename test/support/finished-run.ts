// A finished run written straight to a store, at a time of the test's choosing: submitted at its start,
// started on one node, completed at its end, each step audited as the executor would.
import type { AuditDraft } from "../../src/store/records.ts";
import type { Store } from "../../src/store/store.ts";
import { job } from "./build.ts";
import { queued } from "./test-records.ts";

export interface FinishedRun {
  siteId: string;
  nodeId: string;
  gpus: number;
  startAtMs: number;
  endAtMs: number;
}

export async function writeFinishedRun(
  store: Store,
  tenantId: string,
  run: FinishedRun,
  labels: Record<string, string>,
): Promise<void> {
  const j = { ...job(tenantId, { gpus: run.gpus }), submittedAtMs: run.startAtMs, labels };
  const audit = (action: string, atMs: number): AuditDraft => ({
    atMs,
    actor: "executor",
    action,
    tenantId,
    objectType: "job",
    objectId: j.id,
    details: {},
  });
  await store.submitJob(queued(j), audit("job.submit", run.startAtMs));
  const gpus = Array.from({ length: run.gpus }, (_, i) => i);
  await store.transition([
    {
      kind: "start",
      jobId: j.id,
      atMs: run.startAtMs,
      allocation: { siteId: run.siteId, nodes: [{ nodeId: run.nodeId, gpus }] },
      audit: audit("job.start", run.startAtMs),
    },
    {
      kind: "finish",
      jobId: j.id,
      atMs: run.endAtMs,
      outcome: "completed",
      audit: audit("job.complete", run.endAtMs),
    },
  ]);
}
