// Group commit for the hot write path. Every audited write ends holding the audit chain's head lock
// through its commit, so one-at-a-time writes are capped at one commit (a WAL flush) each. Requests that
// arrive while transactions are in flight queue here and go into the next transaction together: one
// flush for the whole group. At most `maxInFlight` transactions run at once; a failed group is retried
// one request at a time, so a bad request fails alone.

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Waiting<Req, Res> {
  request: Req;
  resolve(value: Res): void;
  reject(error: unknown): void;
}

export class GroupCommit<Req, Res> {
  private readonly queue: Waiting<Req, Res>[] = [];
  private readonly drains = new Set<Promise<void>>();

  /** `runGroup` runs the requests in one transaction and settles each, in order. */
  constructor(
    private readonly runGroup: (requests: Req[]) => Promise<Settled<Res>[]>,
    private readonly maxGroup: number,
    private readonly maxInFlight: number,
  ) {}

  run(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.drains.size < this.maxInFlight) {
        const drain = this.drain().finally(() => this.drains.delete(drain));
        this.drains.add(drain);
      }
    });
  }

  /** Resolves once every request queued so far is settled. */
  async idle(): Promise<void> {
    await Promise.all(this.drains);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      const settled = await this.settle(group.map((w) => w.request));
      group.forEach((waiting, i) => {
        const outcome = settled[i]!;
        if (outcome.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome.error);
      });
    }
  }

  private async settle(requests: Req[]): Promise<Settled<Res>[]> {
    try {
      return await this.runGroup(requests);
    } catch (error) {
      if (requests.length === 1) return [{ ok: false, error }];
      const alone: Settled<Res>[] = [];
      for (const request of requests) alone.push(...(await this.settle([request])));
      return alone;
    }
  }
}
