// One tenant's audit trail as evidence: every actor that touched the tenant's work or data, and every
// jurisdiction its jobs ran in (each start entry's site joined to the facility's sites; a site since
// removed from the facility keeps the jurisdictions recorded when the job started there).

import type { z } from "zod";
import type { Facility } from "../model/types.ts";
import type { AuditEntry } from "../store/records.ts";
import { auditEntryToWire, type auditExportSchema } from "./schemas/audit.ts";
import { isoFromMs } from "./schemas/common.ts";

type AuditExport = z.output<typeof auditExportSchema>;

interface Span {
  firstAtMs: number;
  lastAtMs: number;
}

export function buildAuditExport(
  tenantId: string,
  entries: readonly AuditEntry[],
  facility: Facility,
  atMs: number,
): AuditExport {
  const siteJurisdictions = new Map(facility.sites.map((s) => [s.id, s.jurisdictions]));
  const actors = new Map<string, Span & { actions: Record<string, number> }>();
  const places = new Map<string, Span & { sites: Set<string>; jobs: Set<string>; starts: number }>();
  for (const e of entries) {
    const actor = actors.get(e.actor) ?? { actions: {}, firstAtMs: e.atMs, lastAtMs: e.atMs };
    actor.actions[e.action] = (actor.actions[e.action] ?? 0) + 1;
    widen(actor, e.atMs);
    actors.set(e.actor, actor);
    if (e.action !== "job.start") continue;
    const siteId = typeof e.details.siteId === "string" ? e.details.siteId : null;
    if (siteId === null) continue;
    for (const jurisdiction of siteJurisdictions.get(siteId) ?? recordedJurisdictions(e)) {
      const place = places.get(jurisdiction) ?? {
        sites: new Set<string>(),
        jobs: new Set<string>(),
        starts: 0,
        firstAtMs: e.atMs,
        lastAtMs: e.atMs,
      };
      place.sites.add(siteId);
      place.jobs.add(e.objectId);
      place.starts += 1;
      widen(place, e.atMs);
      places.set(jurisdiction, place);
    }
  }
  return {
    tenant: tenantId,
    generatedAt: isoFromMs(atMs),
    actors: [...actors].map(([actor, a]) => ({
      actor,
      actions: a.actions,
      firstAt: isoFromMs(a.firstAtMs),
      lastAt: isoFromMs(a.lastAtMs),
    })),
    jurisdictions: [...places].map(([jurisdiction, p]) => ({
      jurisdiction,
      sites: [...p.sites].sort(),
      jobs: [...p.jobs].sort(),
      starts: p.starts,
      firstAt: isoFromMs(p.firstAtMs),
      lastAt: isoFromMs(p.lastAtMs),
    })),
    entries: entries.map(auditEntryToWire),
  };
}

function widen(span: Span, atMs: number): void {
  span.firstAtMs = Math.min(span.firstAtMs, atMs);
  span.lastAtMs = Math.max(span.lastAtMs, atMs);
}

function recordedJurisdictions(e: AuditEntry): string[] {
  const recorded = e.details.jurisdictions;
  return Array.isArray(recorded) ? recorded.filter((j): j is string => typeof j === "string") : [];
}
