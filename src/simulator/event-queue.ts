// A min-heap of timed events. Ties in time go by insertion order, so a simulation replays the same way
// every time whatever the heap's internal layout.

export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(atMs: number, item: T): void {
    this.times.push(atMs);
    this.seqs.push(this.seq++);
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.items.length > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  pop(): { atMs: number; item: T } | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const out = { atMs: this.times[0]!, item: this.items[0]! };
    this.swap(0, n - 1);
    this.times.pop();
    this.seqs.pop();
    this.items.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.less(l, m)) m = l;
      if (r < this.items.length && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return out;
  }

  private less(a: number, b: number): boolean {
    return (
      this.times[a]! < this.times[b]! || (this.times[a] === this.times[b] && this.seqs[a]! < this.seqs[b]!)
    );
  }

  private swap(a: number, b: number): void {
    const time = this.times[a]!;
    this.times[a] = this.times[b]!;
    this.times[b] = time;
    const seq = this.seqs[a]!;
    this.seqs[a] = this.seqs[b]!;
    this.seqs[b] = seq;
    const item = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = item;
  }
}
