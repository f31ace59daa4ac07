// Tickets that open one event stream: a browser's EventSource cannot send an Authorization header, and an
// API key in a URL would end up in proxy logs and browser history for as long as the key lives. A ticket is
// issued to a caller already authenticated by its key, opens /v1/events once (`?ticket=`), and is worth
// nothing after that or after TICKET_TTL_MS, so a logged URL gives no one access.
import { randomBytes } from "node:crypto";
import type { Caller } from "./authenticator.ts";

export const TICKET_TTL_MS = 60_000;
/** Tickets outstanding at once; past it the oldest goes first, so issuing cannot grow memory without bound. */
const MAX_TICKETS = 10_000;
const TICKET_BYTES = 32;

export class EventTickets {
  private readonly tickets = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  issue(caller: Caller): { ticket: string; expiresAtMs: number } {
    const nowMs = this.nowMs();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAtMs <= nowMs) this.tickets.delete(ticket);
    if (this.tickets.size >= MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!);
    const ticket = `fjt_${randomBytes(TICKET_BYTES).toString("base64url")}`;
    const expiresAtMs = nowMs + TICKET_TTL_MS;
    this.tickets.set(ticket, { caller, expiresAtMs });
    return { ticket, expiresAtMs };
  }

  /** The caller the ticket was issued to, once; null for an unknown, used or expired ticket. */
  redeem(ticket: string): Caller | null {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (entry === undefined || entry.expiresAtMs <= this.nowMs()) return null;
    return entry.caller;
  }
}
