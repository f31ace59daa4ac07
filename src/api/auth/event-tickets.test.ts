import { describe, expect, it } from "vitest";
import type { Caller } from "./authenticator.ts";
import { EventTickets, TICKET_TTL_MS } from "./event-tickets.ts";

const CALLER: Caller = {
  keyId: "key_a",
  role: "tenant-member",
  tenantId: "aurora-labs",
  rateLimitPerMin: null,
};

describe("event stream tickets", () => {
  it("open the stream once, as the key they were issued to", () => {
    const tickets = new EventTickets(() => 0);
    const { ticket, expiresAtMs } = tickets.issue(CALLER);
    expect(ticket).toMatch(/^fjt_[A-Za-z0-9_-]{43}$/);
    expect(expiresAtMs).toBe(TICKET_TTL_MS);
    expect(tickets.redeem(ticket)).toEqual(CALLER);
    expect(tickets.redeem(ticket)).toBeNull();
  });

  it("are worth nothing once their minute is over, or when made up", () => {
    let nowMs = 0;
    const tickets = new EventTickets(() => nowMs);
    const { ticket } = tickets.issue(CALLER);
    nowMs = TICKET_TTL_MS;
    expect(tickets.redeem(ticket)).toBeNull();
    expect(tickets.redeem(`fjt_${"A".repeat(43)}`)).toBeNull();
  });

  it("are unique, even issued to one key at one instant", () => {
    const tickets = new EventTickets(() => 0);
    const issued = new Set(Array.from({ length: 100 }, () => tickets.issue(CALLER).ticket));
    expect(issued.size).toBe(100);
  });
});
