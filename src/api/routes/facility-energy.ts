// GET /v1/facility/energy: each site's energy, water and heat flows hour by hour over a short period, from
// the stored runs by the accounting core (facility-hour.ts): where the facility's energy comes from (each
// kind of renewable supply, the grid), where it goes (IT, cooling per path, UPS and transformer losses,
// auxiliary load), where the IT heat goes (each offtaker, rejected) and the water used against the
// evaporative-cooled baseline. Facility-wide like /v1/facility/occupancy, so every key may read it; a
// tenant-owned site only its owner and operators. The hour now in progress is modelled at the load running
// now (running jobs to the hour's end) and flagged `projected`, so the figures move as soon as jobs do.
import { z } from "zod";
import { siteEnergy } from "../../accounting/energy-schema.ts";
import type { HourFlows } from "../../accounting/facility-hour.ts";
import { MS_PER_HOUR, type Period } from "../../accounting/period.ts";
import { strict, timestampMs } from "../../model/input-schemas.ts";
import type { Site } from "../../model/types.ts";
import { roundedDocument } from "../../report/round.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { canSeeTenant } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { unprocessable } from "../problem.ts";
import { EXAMPLE_AT, isoFromMs, isoTimestamp, withExample } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

const DEFAULT_HOURS = 24;
/** A week of hours: the flows of every hour are sent, so longer spans belong to the reports. */
const MAX_HOURS = 168;

const METHOD =
  "Modelled, not metered (docs/energy.md): each hour's IT energy from the runs and the idle capacity of " +
  "powered nodes, and around it the site's cooling, losses, water, heat hand-over and renewable supply.";

const query = strict({
  from: withExample(timestampMs, "2026-11-28T11:00:00Z")
    .optional()
    .describe(
      `Start (inclusive), ISO 8601, rounded down to the hour; default ${DEFAULT_HOURS} h before \`to\`. ` +
        `At most ${MAX_HOURS} h before \`to\`; hours before the service's first record are left out.`,
    ),
  to: withExample(timestampMs, "2026-11-29T12:00:00Z")
    .optional()
    .describe(
      "End (exclusive), ISO 8601, rounded up to the hour and at most the end of the current hour; default now.",
    ),
});

const kwh = (what: string) => z.number().describe(`${what}, kWh`);

const hourSchema = z.object({
  at: isoTimestamp.describe("Start of the hour."),
  projected: z
    .boolean()
    .describe("The hour in progress: its running jobs counted to its end, at the load running now."),
  itKWh: kwh("EIT: IT energy at the UPS outputs"),
  coolingLiquidKWh: kwh("Cooling of the liquid loop"),
  coolingAirKWh: kwh("Cooling of the air path"),
  upsLossKWh: kwh("UPS losses"),
  transformerLossKWh: kwh("Transformer losses"),
  auxiliaryKWh: kwh("Auxiliary load"),
  facilityKWh: kwh("EDC: everything the site draws"),
  onSiteKWh: kwh("ERES-OS: covered by on-site renewable generation"),
  ppaKWh: kwh("ERES-PPA: covered by power purchase agreements"),
  guaranteesKWh: kwh("ERES-GOO: covered by guarantees of origin"),
  gridKWh: kwh("Covered by no renewable source: EDC − ERES-TOT"),
  heatReusedKWh: kwh("EREUSE: IT heat handed over to offtakers"),
  heatRejectedKWh: kwh("IT heat not reused"),
  offtakerKWh: z
    .array(z.number())
    .describe("Heat handed over to each offtaker, in the order of `offtakers`, kWh."),
  waterL: z.number().describe("WIN: water input, L."),
  baselineWaterL: z
    .number()
    .describe("What an evaporative-cooled facility would use for the same IT energy, L."),
  co2eLocationKg: z.number(),
  co2eMarketKg: z.number(),
});

const responseSchema = withExample(
  z.object({
    at: isoTimestamp.describe("The control plane's clock."),
    from: isoTimestamp,
    to: isoTimestamp,
    method: z.string(),
    sites: z.array(
      z.object({
        siteId: z.string(),
        name: z.string(),
        operator: z.enum(["facility", "tenant"]),
        sources: z
          .array(z.object({ id: z.string(), kind: z.string() }))
          .describe("Renewable supply from the facility file (on-site, ppa, guarantees-of-origin)."),
        offtakers: z.array(z.object({ id: z.string(), kind: z.string() })),
        hours: z.array(hourSchema),
      }),
    ),
  }),
  {
    at: EXAMPLE_AT.now,
    from: "2026-11-29T10:00:00.000Z",
    to: "2026-11-29T12:00:00.000Z",
    method: `${METHOD} …`,
    sites: [
      {
        siteId: "no-kvandal",
        name: "Kvandal, Narvik",
        operator: "facility",
        sources: [{ id: "nordland-hydro-ppa", kind: "ppa" }],
        offtakers: [{ id: "narvik-district-heating", kind: "district-heating" }],
        hours: [
          {
            at: "2026-11-29T11:00:00.000Z",
            projected: true,
            itKWh: 63126,
            coolingLiquidKWh: 947,
            coolingAirKWh: 947,
            upsLossKWh: 1952,
            transformerLossKWh: 680,
            auxiliaryKWh: 0,
            facilityKWh: 67652,
            onSiteKWh: 0,
            ppaKWh: 67652,
            guaranteesKWh: 0,
            gridKWh: 0,
            heatReusedKWh: 20630,
            heatRejectedKWh: 42496,
            offtakerKWh: [20630],
            waterL: 6313,
            baselineWaterL: 113627,
            co2eLocationKg: 1218,
            co2eMarketKg: 0,
          },
        ],
      },
    ],
  },
);

function hourToWire(flows: HourFlows, atMs: number, projected: boolean): z.output<typeof hourSchema> {
  return {
    at: isoFromMs(atMs),
    projected,
    itKWh: flows.itKWh,
    coolingLiquidKWh: flows.liquidCoolingKWh,
    coolingAirKWh: flows.airCoolingKWh,
    upsLossKWh: flows.upsLossKWh,
    transformerLossKWh: flows.transformerLossKWh,
    auxiliaryKWh: flows.auxiliaryKWh,
    facilityKWh: flows.facilityKWh,
    onSiteKWh: flows.onSiteKWh,
    ppaKWh: flows.ppaKWh,
    guaranteesKWh: flows.guaranteesKWh,
    gridKWh: flows.facilityKWh - flows.onSiteKWh - flows.ppaKWh - flows.guaranteesKWh,
    heatReusedKWh: flows.heatReusedKWh,
    heatRejectedKWh: flows.heatRejectedKWh,
    offtakerKWh: flows.offtakerKWh,
    waterL: flows.waterL,
    baselineWaterL: flows.baselineWaterL,
    co2eLocationKg: flows.co2eLocationKg,
    co2eMarketKg: flows.co2eMarketKg,
  };
}

/** Each site's hourly flows over whole hours, running jobs counted to `runningToMs`. */
async function siteFlows(ctx: ApiContext, period: Period, runningToMs: number, sites: readonly Site[]) {
  const reading = ctx.energy.signalsFor(period);
  if (!reading.ok) throw unprocessable("from", `the period needs hourly signals: ${reading.problem}`);
  const policy = ctx.controlPlane.policy();
  return ctx.accounting.facilityEnergy({
    runs: await ctx.store.jobRunsOverlapping(period.fromMs, period.toMs, runningToMs),
    signals: reading.signals,
    period,
    tierOf: new Map(policy.tenants.map((t) => [t.id, t.tierId])),
    siteIds: sites.map((s) => s.id),
  });
}

export function facilityEnergyRoutes(app: ApiApp, ctx: ApiContext): void {
  const { facility } = ctx.controlPlane;
  const ownerOf = (site: Site) => (site.operator === "facility" ? null : site.operator.tenantId);

  app.get(
    "/facility/energy",
    {
      schema: {
        tags: ["facility"],
        summary: "Each site's energy, heat and water flows hour by hour",
        description: `${METHOD} Tenant-owned sites are shown to their tenant and operators only.`,
        querystring: query,
        response: withProblems({ 200: responseSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const nowMs = ctx.controlPlane.nowMs();
      const currentHourEndMs = Math.floor(nowMs / MS_PER_HOUR) * MS_PER_HOUR + MS_PER_HOUR;
      const toMs = Math.min(
        currentHourEndMs,
        Math.ceil((request.query.to ?? nowMs) / MS_PER_HOUR) * MS_PER_HOUR,
      );
      const askedFromMs = request.query.from ?? toMs - DEFAULT_HOURS * MS_PER_HOUR;
      if (askedFromMs >= toMs) throw unprocessable("from", `must be before to (${isoFromMs(toMs)})`);
      if (toMs - askedFromMs > MAX_HOURS * MS_PER_HOUR)
        throw unprocessable("from", `must be at most ${MAX_HOURS} h before to (${isoFromMs(toMs)})`);
      // Hours before the service recorded anything would show an idle facility that never was.
      const firstMs = (await ctx.store.auditRange(1, 1))[0]?.atMs ?? nowMs;
      const fromMs = Math.floor(Math.max(askedFromMs, firstMs) / MS_PER_HOUR) * MS_PER_HOUR;
      const sites = facility.sites.filter((s) => ownerOf(s) === null || canSeeTenant(caller, ownerOf(s)));
      // Running jobs counted to the end of the hour in progress: the load as it stands now.
      const flows = fromMs >= toMs ? [] : await siteFlows(ctx, { fromMs, toMs }, currentHourEndMs, sites);
      const hourlyOf = new Map(flows.map((f) => [f.siteId, f.hourly]));
      const projectedFromMs = currentHourEndMs - MS_PER_HOUR;
      return roundedDocument({
        at: isoFromMs(nowMs),
        from: isoFromMs(fromMs),
        to: isoFromMs(Math.max(fromMs, toMs)),
        method: `${METHOD} Hourly signals: ${ctx.energy.signalsSource}.`,
        sites: sites.map((site) => {
          const model = siteEnergy(site);
          return {
            siteId: site.id,
            name: site.name,
            operator: ownerOf(site) === null ? "facility" : "tenant",
            sources: model.supply.sources.map((s) => ({ id: s.id, kind: s.kind })),
            offtakers: model.heatRecovery.offtakers.map((o) => ({ id: o.id, kind: o.kind })),
            hours: (hourlyOf.get(site.id) ?? []).map((h, i) => {
              const atMs = fromMs + i * MS_PER_HOUR;
              return hourToWire(h, atMs, atMs >= projectedFromMs);
            }),
          };
        }),
      }) as z.output<typeof responseSchema>;
    },
  );
}
