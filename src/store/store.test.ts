import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { backendFactories, type TestBackend } from "../../test/support/test-backends.ts";
import {
  cancel,
  draft,
  finish,
  gpus,
  queued,
  requeue,
  start,
  T0,
  testJob,
} from "../../test/support/test-records.ts";
import { verifyStoreChain } from "../audit/verify-store.ts";
import type { Allocation, Tenant } from "../model/types.ts";
import type { ApiKeyRecord, JobRecord } from "./records.ts";
import { DuplicateJobError } from "./store.ts";
import { GpuAlreadyHeldError, InvalidCursorError } from "./store-errors.ts";

const S = 1000;
const postgresUrl = await freshPostgresDatabase();

const aurora: Tenant = {
  id: "aurora-labs",
  name: "Aurora Labs AS",
  tierId: "national",
  weight: 2,
  quotaGpus: 4096,
  orgNumber: "931844156",
  country: "NO",
};

function apiKey(id: string, tenantId: string | null): ApiKeyRecord {
  return {
    id,
    tenantId,
    role: tenantId === null ? "operator" : "tenant-member",
    name: `key ${id}`,
    secretHash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
    rateLimitPerMin: tenantId === null ? null : 600,
    createdAtMs: T0,
    revokedAtMs: null,
  };
}

describe.each(backendFactories(postgresUrl))("Store on $name", ({ open }) => {
  describe.skipIf(open === null)("", () => {
    let backend: TestBackend;
    const store = () => backend.store;
    const audit = async () => store().auditRange(1, 100_000);
    const submit = (record: JobRecord) => store().submitJob(record, draft("job.submit", record.job.id));

    beforeAll(async () => {
      backend = await open!();
    });
    afterAll(async () => {
      await backend?.close();
    });
    beforeEach(async () => {
      await backend.reset();
    });

    it("answers a ping", async () => {
      expect(await store().ping()).toBe(true);
    });

    it("creates and then updates a tenant, keeping when it was created, and audits both", async () => {
      const created = await store().putTenant(aurora, T0, draft("policy.change", aurora.id, T0, aurora.id));
      expect(created).toEqual({ ...aurora, createdAtMs: T0 });
      const changed = { ...aurora, weight: 3, quotaGpus: null, orgNumber: null };
      await store().putTenant(changed, T0 + S, draft("policy.change", aurora.id, T0 + S, aurora.id));
      await store().putTenant(
        { ...aurora, id: "sisu-ai", name: "Sisu AI Oy" },
        T0,
        draft("policy.change", "sisu-ai"),
      );
      expect(await store().getTenant(aurora.id)).toEqual({ ...changed, createdAtMs: T0 });
      expect(await store().getTenant("nobody")).toBeNull();
      expect((await store().listTenants()).map((t) => t.id)).toEqual(["aurora-labs", "sisu-ai"]);
      expect((await audit()).map((e) => [e.seq, e.action, e.atMs])).toEqual([
        [1, "policy.change", T0],
        [2, "policy.change", T0 + S],
        [3, "policy.change", T0],
      ]);
    });

    it("keeps whether a tenant's quota is borrowable, and a change back to hard", async () => {
      const borrowable: Tenant = { ...aurora, quotaMode: "borrowable" };
      await store().putTenant(borrowable, T0, draft("policy.change", aurora.id, T0, aurora.id));
      expect(await store().getTenant(aurora.id)).toEqual({ ...borrowable, createdAtMs: T0 });
      await store().putTenant(aurora, T0 + S, draft("policy.change", aurora.id, T0 + S, aurora.id));
      expect(await store().getTenant(aurora.id)).toEqual({ ...aurora, createdAtMs: T0 });
    });

    it("stores API keys per tenant and for operators, and revokes a key once", async () => {
      const operator = apiKey("key_op", null);
      const member = apiKey("key_member", aurora.id);
      await store().insertApiKey(operator, draft("api-key.create", operator.id, T0, null));
      await store().insertApiKey(member, draft("api-key.create", member.id, T0, aurora.id));
      expect(await store().getApiKey("key_member")).toEqual(member);
      expect(await store().listApiKeys(null)).toEqual([operator]);
      expect(await store().listApiKeys(aurora.id)).toEqual([member]);
      expect(await store().revokeApiKey("key_member", T0 + S, draft("api-key.revoke", member.id))).toBe(true);
      expect(await store().revokeApiKey("key_member", T0 + 2 * S, draft("api-key.revoke", member.id))).toBe(
        false,
      );
      expect(await store().revokeApiKey("key_none", T0, draft("api-key.revoke", "key_none"))).toBe(false);
      expect((await store().getApiKey("key_member"))?.revokedAtMs).toBe(T0 + S);
      expect((await audit()).map((e) => e.action)).toEqual([
        "api-key.create",
        "api-key.create",
        "api-key.revoke",
      ]);
    });

    it("returns the earlier job for a repeated idempotency key, writing no second job or audit entry", async () => {
      const first = await submit(queued(testJob("j1", "t1"), "retry-1"));
      expect(first).toEqual({ record: queued(testJob("j1", "t1"), "retry-1"), created: true });
      const again = await submit(queued(testJob("j1-again", "t1", T0 + S), "retry-1"));
      expect(again.created).toBe(false);
      expect(again.record).toEqual(first.record);
      // The same key from another tenant is another submission.
      expect((await submit(queued(testJob("j2", "t2"), "retry-1"))).created).toBe(true);
      expect((await store().listJobs({ limit: 10 })).items.map((r) => r.job.id)).toEqual(["j1", "j2"]);
      expect((await audit()).map((e) => e.objectId)).toEqual(["j1", "j2"]);
    });

    it("refuses a job id that is taken, writing nothing", async () => {
      await submit(queued(testJob("j1", "t1")));
      await expect(submit(queued(testJob("j1", "t2", T0 + S)))).rejects.toThrow(DuplicateJobError);
      expect((await store().getJob("j1"))?.job.tenantId).toBe("t1");
      expect(await audit()).toHaveLength(1);
    });

    it("applies the transitions whose job is in the expected state and reports the others", async () => {
      await submit(queued(testJob("a", "t1")));
      await submit(queued(testJob("b", "t1")));
      const outcome = await store().transition([
        finish("a", T0),
        start("a", T0, gpus(["n1", 0])),
        start("a", T0, gpus(["n1", 1])),
        cancel("b", T0),
        requeue("b", T0),
        cancel("ghost", T0),
      ]);
      expect(outcome.applied.map((r) => [r.job.id, r.state, r.version])).toEqual([
        ["a", "running", 2],
        ["b", "cancelled", 2],
      ]);
      expect(outcome.skipped).toEqual([
        { jobId: "a", kind: "finish", state: "queued" },
        { jobId: "a", kind: "start", state: "running" },
        { jobId: "b", kind: "requeue", state: "cancelled" },
        { jobId: "ghost", kind: "cancel", state: null },
      ]);
      expect(await store().getJob("a")).toEqual(outcome.applied[0]);
      expect((await audit()).map((e) => e.action)).toEqual([
        "job.submit",
        "job.submit",
        "job.start",
        "job.cancel",
      ]);
    });

    it("follows a job through start, preemption, restart and completion, charging every run", async () => {
      await submit(queued(testJob("a", "t1")));
      await store().transition([start("a", T0, gpus(["n1", 0], ["n1", 1]))]);
      await store().transition([requeue("a", T0 + 100 * S)]);
      await store().transition([start("a", T0 + 200 * S, gpus(["n2", 0], ["n2", 1]))]);
      const done = await store().transition([finish("a", T0 + 250 * S)]);
      expect(done.applied[0]).toMatchObject({
        state: "completed",
        restarts: 1,
        startedAtMs: T0 + 200 * S,
        endedAtMs: T0 + 250 * S,
        gpuSecondsUsed: 300,
        version: 5,
        allocation: gpus(["n2", 0], ["n2", 1]),
      });
      expect(await backend.sql("select * from gpu_allocations")).toEqual([]);
    });

    it("keeps the GPU indices a cluster gave a run, for that run only, and keeps a job's command", async () => {
      const command = {
        argv: ["python", "train.py", "$(id)"],
        workDir: "/scratch",
        env: [{ name: "__proto__x", value: "ø" }],
        stdoutPath: null,
        stderrPath: null,
      };
      await submit(queued({ ...testJob("a", "t1"), command }));
      await store().transition([start("a", T0, gpus(["n1", 0], ["n1", 1]))]);
      const slurmGpus = [{ nodeId: "n1", gpus: [2, 3] }];
      expect(await store().recordClusterGpus("a", T0 + S, slurmGpus)).toBe(false);
      expect(await store().recordClusterGpus("a", T0, slurmGpus)).toBe(true);
      const running = await store().getJob("a");
      expect(running).toMatchObject({ clusterGpus: slurmGpus, allocation: gpus(["n1", 0], ["n1", 1]) });
      expect(running!.job.command).toEqual(command);
      // A run that ended keeps them; the next run starts without.
      await store().transition([requeue("a", T0 + 100 * S)]);
      expect((await store().getJob("a"))!.clusterGpus).toEqual(slurmGpus);
      await store().transition([start("a", T0 + 200 * S, gpus(["n2", 0], ["n2", 1]))]);
      expect((await store().getJob("a"))!.clusterGpus).toBeNull();
      expect(await store().recordClusterGpus("a", T0, slurmGpus)).toBe(false);
    });

    it("rolls back the whole call when a start would give a GPU that is already held", async () => {
      for (const id of ["holder", "b", "c", "d"]) await submit(queued(testJob(id, "t1")));
      await store().transition([start("holder", T0, gpus(["n1", 0]))]);
      const before = await Promise.all(["b", "c", "d"].map((id) => store().getJob(id)));
      const auditBefore = await audit();
      await expect(
        store().transition([
          start("b", T0 + S, gpus(["n2", 0])),
          cancel("c", T0 + S),
          start("d", T0 + S, gpus(["n1", 0])),
        ]),
      ).rejects.toThrow(new GpuAlreadyHeldError("d", "n1", 0, "holder"));
      await expect(
        store().transition([start("b", T0 + S, gpus(["n3", 0])), start("d", T0 + S, gpus(["n3", 0]))]),
      ).rejects.toThrow(GpuAlreadyHeldError);
      expect(await Promise.all(["b", "c", "d"].map((id) => store().getJob(id)))).toEqual(before);
      expect(await audit()).toEqual(auditBefore);
      expect(await backend.sql("select node_id, gpu_index, job_id from gpu_allocations")).toEqual([
        { node_id: "n1", gpu_index: 0, job_id: "holder" },
      ]);
      // Freed first, the same GPU may go to another job in the same call.
      const handover = await store().transition([
        finish("holder", T0 + 2 * S),
        start("d", T0 + 2 * S, gpus(["n1", 0])),
      ]);
      expect(handover.applied.map((r) => r.state)).toEqual(["completed", "running"]);
    });

    it("pages through jobs in submission order, each exactly once, while jobs keep arriving", async () => {
      // Pairs of jobs share a submission time, so the id decides their order.
      for (let i = 0; i < 20; i++)
        await submit(
          queued(testJob(`j${String(19 - i).padStart(2, "0")}`, "t1", T0 + Math.floor(i / 2) * S)),
        );
      const seen: string[] = [];
      let cursor: string | null = null;
      let arrivals = 0;
      do {
        const page = await store().listJobs({ limit: 6, cursor });
        seen.push(...page.items.map((r) => r.job.id));
        cursor = page.nextCursor;
        if (arrivals < 3) await submit(queued(testJob(`late-${arrivals++}`, "t2", T0 + 100 * S + arrivals)));
      } while (cursor !== null);
      const all = (await store().listJobs({ limit: 1000 })).items.map((r) => r.job.id);
      expect(seen).toEqual(all);
      expect(all).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      expect(all.slice(0, 4)).toEqual(["j18", "j19", "j16", "j17"]);
    });

    it("filters job listings by tenant and state", async () => {
      await submit(queued(testJob("a1", "a", T0)));
      await submit(queued(testJob("b1", "b", T0 + S)));
      await submit(queued(testJob("a2", "a", T0 + 2 * S)));
      await store().transition([start("a2", T0 + 3 * S, gpus(["n1", 0]))]);
      const ids = async (filter: Parameters<ReturnType<typeof store>["listJobs"]>[0]) =>
        (await store().listJobs(filter)).items.map((r) => r.job.id);
      expect(await ids({ tenantId: "a", limit: 10 })).toEqual(["a1", "a2"]);
      expect(await ids({ states: ["queued"], limit: 10 })).toEqual(["a1", "b1"]);
      expect(await ids({ tenantId: "a", states: ["running", "completed"], limit: 10 })).toEqual(["a2"]);
      expect(await ids({ states: [], limit: 10 })).toEqual([]);
      const firstPage = await store().listJobs({ tenantId: "a", limit: 1 });
      expect(await ids({ tenantId: "a", limit: 1, cursor: firstPage.nextCursor })).toEqual(["a2"]);
    });

    it("rejects a cursor no page handed out", async () => {
      await expect(store().listJobs({ limit: 5, cursor: "bm90LWEtY3Vyc29y" })).rejects.toThrow(
        InvalidCursorError,
      );
      await expect(store().listAudit({ limit: 5, cursor: "%%%" })).rejects.toThrow(InvalidCursorError);
    });

    it("lists exactly the queued and running jobs as live", async () => {
      for (const id of ["q", "r", "done", "gone"]) await submit(queued(testJob(id, "t1")));
      await store().transition([
        start("r", T0, gpus(["n1", 0])),
        start("done", T0, gpus(["n1", 1])),
        finish("done", T0 + S),
        cancel("gone", T0),
      ]);
      expect((await store().liveJobs()).map((r) => [r.job.id, r.state])).toEqual([
        ["q", "queued"],
        ["r", "running"],
      ]);
    });

    it("reads the runs overlapping a window, clipped to it, with their site and their job's labels", async () => {
      for (const [id, tenant] of [
        ["a1", "a"],
        ["a2", "a"],
        ["b1", "b"],
        ["c1", "c"],
      ] as const)
        await submit(queued(testJob(id, tenant)));
      // a1: 4 GPUs at s1 over [100 s, 200 s]. a2: 2 GPUs at s2 over [150 s, 250 s], preempted, then at s1
      // from 300 s on. b1: 8 GPUs over [0 s, 50 s], before the window. c1: never ran.
      const atS2 = (allocation: Allocation): Allocation => ({ ...allocation, siteId: "s2" });
      await store().transition([
        start(
          "b1",
          T0,
          gpus(["n9", 0], ["n9", 1], ["n9", 2], ["n9", 3], ["n9", 4], ["n9", 5], ["n9", 6], ["n9", 7]),
        ),
      ]);
      await store().transition([finish("b1", T0 + 50 * S)]);
      await store().transition([start("a1", T0 + 100 * S, gpus(["n1", 0], ["n1", 1], ["n1", 2], ["n1", 3]))]);
      await store().transition([start("a2", T0 + 150 * S, atS2(gpus(["n2", 0], ["n2", 1])))]);
      await store().transition([finish("a1", T0 + 200 * S), requeue("a2", T0 + 250 * S)]);
      await store().transition([start("a2", T0 + 300 * S, gpus(["n2", 0], ["n2", 1]))]);
      const slice = (jobId: string, siteId: string, gpuCount: number, fromS: number, toS: number) => ({
        jobId,
        tenantId: "a",
        siteId,
        gpus: gpuCount,
        startAtMs: T0 + fromS * S,
        endAtMs: T0 + toS * S,
        labels: { team: "a" },
      });
      // Window [120 s, 320 s) at 310 s: a2's second run is still going, so it ends at 310 s.
      expect(await store().jobRunsOverlapping(T0 + 120 * S, T0 + 320 * S, T0 + 310 * S)).toEqual([
        slice("a1", "s1", 4, 120, 200),
        slice("a2", "s2", 2, 150, 250),
        slice("a2", "s1", 2, 300, 310),
      ]);
      // A window that ends before a run starts, or starts when it has ended, does not see it.
      expect(await store().jobRunsOverlapping(T0 + 50 * S, T0 + 100 * S, T0 + 400 * S)).toEqual([]);
      // Before the clock reaches a running job's start (a clock stepped back), the run has no time yet.
      expect(await store().jobRunsOverlapping(T0 + 260 * S, T0 + 400 * S, T0 + 290 * S)).toEqual([]);
    });

    it("keeps named values across writes, and guards the audit chain head", async () => {
      await store().setValue("clock", T0);
      await store().setValue("ledger", { a: [1, 2], b: null });
      await store().setValue("clock", T0 + S);
      await store().setValue("list", ["x", "y"]);
      await store().setValue("text", "plain");
      expect(await store().getValue("clock")).toBe(T0 + S);
      expect(await store().getValue("ledger")).toEqual({ a: [1, 2], b: null });
      expect(await store().getValue("list")).toEqual(["x", "y"]);
      expect(await store().getValue("text")).toBe("plain");
      expect(await store().getValue("missing")).toBeNull();
      await expect(store().setValue("audit.head", { seq: 0, hash: "0" })).rejects.toThrow(/chain head/);
    });

    it("lists audit entries by tenant and page, and after a seq", async () => {
      await store().appendAudit([
        draft("tenant.read", "a", T0, "a"),
        draft("tenant.read", "b", T0, "b"),
        draft("tenant.read", "a", T0, "a"),
        draft("policy.change", "facility", T0, null),
        draft("tenant.read", "a", T0, "a"),
      ]);
      const first = await store().listAudit({ tenantId: "a", limit: 2 });
      expect(first.items.map((e) => e.seq)).toEqual([1, 3]);
      const second = await store().listAudit({ tenantId: "a", limit: 2, cursor: first.nextCursor });
      expect(second).toEqual({ items: [expect.objectContaining({ seq: 5 })], nextCursor: null });
      expect((await store().listAudit({ afterSeq: 3, limit: 10 })).items.map((e) => e.seq)).toEqual([4, 5]);
      expect(await store().auditRange(2, 2)).toEqual((await audit()).slice(1, 3));
    });

    it("returns appended entries exactly as they read back, details in their JSON form", async () => {
      const [entry] = await store().appendAudit([
        { ...draft("job.submit", "j1"), details: { z: 1, a: { at: new Date(T0) }, gone: undefined } },
      ]);
      expect(entry!.details).toEqual({ z: 1, a: { at: new Date(T0).toISOString() } });
      expect(await audit()).toEqual([entry]);
      expect(await verifyStoreChain(store())).toEqual({
        ok: true,
        entries: 1,
        head: { seq: 1, hash: entry!.hash },
      });
    });

    it("keeps one valid chain under 200 concurrent submissions and transitions", async () => {
      await Promise.all(Array.from({ length: 200 }, (_, i) => submit(queued(testJob(`c${i}`, `t${i % 5}`)))));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store().transition([start(`c${i}`, T0 + S, gpus([`n${i}`, 0])), finish(`c${i}`, T0 + 2 * S)]),
        ),
      );
      expect((await store().listJobs({ limit: 1000 })).items).toHaveLength(200);
      expect(await verifyStoreChain(store(), 37)).toMatchObject({ ok: true, entries: 240 });
    });
  });
});
