// /v1/facility/racks: every rack with the GPUs in use on it, for a floor map; /v1/facility/racks/{id}: one
// rack's nodes and the jobs on them. Tier figures are facility-wide, as /v1/facility/occupancy's are; per
// tenant, a tenant key sees its own GPUs and jobs only, and other tenants' work counts in the totals alone.
import { z } from "zod";
import { strict } from "../../model/input-schemas.ts";
import type { Facility } from "../../model/types.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { canSeeTenant } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound } from "../problem.ts";
import { RackOccupancy } from "../rack-occupancy.ts";
import { isoFromMs, withExample } from "../schemas/common.ts";
import { rackDetailWireSchema, rackFloorWireSchema } from "../schemas/facility-racks.ts";
import { withProblems } from "../schemas/responses.ts";
import type { SiteReachability } from "../site-reachability.ts";

const rackParams = strict({
  id: withExample(
    z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9._/-]+$/, "must be a rack id: letters, digits, '.', '_', '-' or '/'"),
    "no-kvandal/hall-a-r001",
  ).describe("The rack's id, URL-encoded (its '/' as %2F)."),
});

type Counts = Record<string, number>;

function add(counts: Counts, key: string, gpus: number): void {
  counts[key] = (counts[key] ?? 0) + gpus;
}

/** The executor of a site that `siteExecutors` does not name. */
const DEFAULT_EXECUTOR = "simulated";

export function facilityRackRoutes(
  app: ApiApp,
  ctx: ApiContext,
  siteExecutors: Record<string, string>,
  reachability: SiteReachability,
): void {
  const { facility } = ctx.controlPlane;
  const occupancy = new RackOccupancy(facility, ctx.store);
  const stop = ctx.controlPlane.subscribe((event) => occupancy.observe(event));
  app.addHook("onClose", async () => stop());
  const gpusPerNode = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
  const racksById = new Map(facility.racks.map((r) => [r.id, r]));
  const racksByHall = new Map<string, string[]>();
  for (const rack of facility.racks) {
    const inHall = racksByHall.get(rack.hallId) ?? [];
    inHall.push(rack.id);
    racksByHall.set(rack.hallId, inHall);
  }
  const executorOf = (siteId: string) => {
    const executor = Object.hasOwn(siteExecutors, siteId) ? siteExecutors[siteId]! : DEFAULT_EXECUTOR;
    const { reachable, checkedAtMs, detail } = reachability.of(siteId, executor);
    return {
      executor,
      executorReachable: reachable,
      executorCheckedAt: checkedAtMs === null ? null : isoFromMs(checkedAtMs),
      executorDetail: detail,
    };
  };
  const tenantTier = () => new Map(ctx.controlPlane.policy().tenants.map((t) => [t.id, t.tierId]));

  app.get(
    "/facility/racks",
    {
      schema: {
        tags: ["facility"],
        summary: "Every rack with the GPUs in use on it, per tier and per tenant",
        response: withProblems({ 200: rackFloorWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const tiers = tenantTier();
      const figures = rackFigures(facility, gpusPerNode);
      const racks = new Map(
        facility.racks.map((r) => [r.id, { allocated: 0, byTier: {} as Counts, byTenant: {} as Counts }]),
      );
      for (const job of await occupancy.jobs()) {
        const tier = tiers.get(job.tenantId);
        const visible = canSeeTenant(caller, job.tenantId);
        for (const [nodeId, gpus] of job.gpusByNode) {
          const rack = racks.get(occupancy.nodeRack.get(nodeId) ?? "");
          if (rack === undefined) continue;
          rack.allocated += gpus;
          if (tier !== undefined) add(rack.byTier, tier, gpus);
          if (visible) add(rack.byTenant, job.tenantId, gpus);
        }
      }
      return {
        at: isoFromMs(ctx.controlPlane.nowMs()),
        tiers: ctx.controlPlane.policy().tiers.map((t) => t.id),
        sites: facility.sites.map((site) => ({
          siteId: site.id,
          name: site.name,
          operator: site.operator === "facility" ? ("facility" as const) : ("tenant" as const),
          ...executorOf(site.id),
          halls: facility.halls
            .filter((h) => h.siteId === site.id)
            .map((hall) => ({
              hallId: hall.id,
              racks: (racksByHall.get(hall.id) ?? []).map((rackId) => {
                const used = racks.get(rackId)!;
                return {
                  ...figures.get(rackId)!,
                  allocatedGpus: used.allocated,
                  allocatedByTier: used.byTier,
                  allocatedByTenant: used.byTenant,
                };
              }),
            })),
        })),
      };
    },
  );

  app.get(
    "/facility/racks/:id",
    {
      schema: {
        tags: ["facility"],
        summary: "One rack's nodes and the jobs on them",
        params: rackParams,
        response: withProblems({ 200: rackDetailWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const rack = racksById.get(request.params.id);
      if (rack === undefined) throw notFound(`no rack ${request.params.id}`);
      const tiers = tenantTier();
      const nodes = new Map(
        facility.nodes
          .filter((n) => n.rackId === rack.id)
          .map((n) => [
            n.id,
            {
              id: n.id,
              state: n.state,
              gpus: gpusPerNode.get(n.nodeTypeId) ?? 0,
              allocatedGpus: 0,
              jobs: [] as {
                jobId: string;
                name: string;
                tenant: string;
                tier: string | null;
                gpus: number;
              }[],
            },
          ]),
      );
      for (const job of await occupancy.jobs())
        for (const [nodeId, gpus] of job.gpusByNode) {
          const node = nodes.get(nodeId);
          if (node === undefined) continue;
          node.allocatedGpus += gpus;
          if (canSeeTenant(caller, job.tenantId))
            node.jobs.push({
              jobId: job.jobId,
              name: job.name,
              tenant: job.tenantId,
              tier: tiers.get(job.tenantId) ?? null,
              gpus,
            });
        }
      return {
        at: isoFromMs(ctx.controlPlane.nowMs()),
        rack: { id: rack.id, siteId: rack.siteId, hallId: rack.hallId, nodeType: rack.nodeTypeId },
        nodes: [...nodes.values()],
      };
    },
  );
}

/** Every rack's node and GPU counts, nodes up as of now (a node's state changes when it fails). */
function rackFigures(facility: Facility, gpusPerNode: Map<string, number>) {
  const figures = new Map(
    facility.racks.map((r) => [r.id, { id: r.id, nodeType: r.nodeTypeId, nodes: 0, nodesUp: 0, gpus: 0 }]),
  );
  for (const node of facility.nodes) {
    const rack = figures.get(node.rackId);
    if (rack === undefined) continue;
    rack.nodes += 1;
    rack.gpus += gpusPerNode.get(node.nodeTypeId) ?? 0;
    if (node.state === "up") rack.nodesUp += 1;
  }
  return figures;
}
