// One tenant's audit trail as evidence: every actor that touched the tenant's work or data, and every
// jurisdiction its jobs ran in (each start entry's site joined to the facility's sites; a site since
// removed from the facility keeps the jurisdictions recorded when the job started there). A busy tenant's
// trail runs to millions of entries, so the API streams it (auditExportJson).

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

/** What the export says about a trail, built entry by entry so the trail itself need not be held. */
export class AuditTrailSummary {
  private readonly siteJurisdictions: Map<string, string[]>;
  private readonly actors = new Map<string, Span & { actions: Map<string, number> }>();
  private readonly places = new Map<
    string,
    Span & { sites: Set<string>; jobs: Set<string>; starts: number }
  >();

  constructor(facility: Facility) {
    this.siteJurisdictions = new Map(facility.sites.map((s) => [s.id, s.jurisdictions]));
  }

  add(e: AuditEntry): void {
    const actor = this.actors.get(e.actor) ?? {
      actions: new Map<string, number>(),
      firstAtMs: e.atMs,
      lastAtMs: e.atMs,
    };
    actor.actions.set(e.action, (actor.actions.get(e.action) ?? 0) + 1);
    widen(actor, e.atMs);
    this.actors.set(e.actor, actor);
    if (e.action !== "job.start") return;
    const siteId = typeof e.details.siteId === "string" ? e.details.siteId : null;
    if (siteId === null) return;
    for (const jurisdiction of this.siteJurisdictions.get(siteId) ?? recordedJurisdictions(e)) {
      const place = this.places.get(jurisdiction) ?? {
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
      this.places.set(jurisdiction, place);
    }
  }

  actorsWire(): AuditExport["actors"] {
    return [...this.actors].map(([actor, a]) => ({
      actor,
      actions: Object.fromEntries(a.actions),
      firstAt: isoFromMs(a.firstAtMs),
      lastAt: isoFromMs(a.lastAtMs),
    }));
  }

  jurisdictionsWire(): AuditExport["jurisdictions"] {
    return [...this.places].map(([jurisdiction, p]) => ({
      jurisdiction,
      sites: [...p.sites].sort(),
      jobs: [...p.jobs].sort(),
      starts: p.starts,
      firstAt: isoFromMs(p.firstAtMs),
      lastAt: isoFromMs(p.lastAtMs),
    }));
  }
}

export function buildAuditExport(
  tenantId: string,
  entries: readonly AuditEntry[],
  facility: Facility,
  atMs: number,
): AuditExport {
  const summary = new AuditTrailSummary(facility);
  for (const e of entries) summary.add(e);
  return {
    tenant: tenantId,
    generatedAt: isoFromMs(atMs),
    actors: summary.actorsWire(),
    jurisdictions: summary.jurisdictionsWire(),
    entries: entries.map(auditEntryToWire),
  };
}

/**
 * The export as JSON text in pieces, from pages of entries as they are read: the entries first, then the
 * actors and jurisdictions they add up to, so memory holds one page and the summary, never the trail.
 * `JSON.parse` of the whole gives what buildAuditExport gives for the same entries.
 */
export async function* auditExportJson(
  tenantId: string,
  pages: AsyncIterable<readonly AuditEntry[]>,
  facility: Facility,
  atMs: number,
): AsyncGenerator<string> {
  const summary = new AuditTrailSummary(facility);
  yield `{"tenant":${JSON.stringify(tenantId)},"generatedAt":${JSON.stringify(isoFromMs(atMs))},"entries":[`;
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    for (const e of page) summary.add(e);
    yield (first ? "" : ",") + page.map((e) => JSON.stringify(auditEntryToWire(e))).join(",");
    first = false;
  }
  yield `],"actors":${JSON.stringify(summary.actorsWire())},"jurisdictions":${JSON.stringify(summary.jurisdictionsWire())}}`;
}

function widen(span: Span, atMs: number): void {
  span.firstAtMs = Math.min(span.firstAtMs, atMs);
  span.lastAtMs = Math.max(span.lastAtMs, atMs);
}

function recordedJurisdictions(e: AuditEntry): string[] {
  const recorded = e.details.jurisdictions;
  return Array.isArray(recorded) ? recorded.filter((j): j is string => typeof j === "string") : [];
}
