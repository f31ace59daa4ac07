// Takes signed checkpoints of a store's audit chain. A checkpoint vouches for the whole log up to its head,
// so the chain is verified before its head is signed: signing a log that was already changed would anchor
// the change. The walker is kept between checkpoints, so each one verifies only what was appended since the
// last; entries changed behind it are caught by `fjord audit verify --checkpoint` against the earlier ones.
import type { KeyObject } from "node:crypto";
import { AUDIT_HEAD_KEY } from "../store/audit-append.ts";
import type { Store } from "../store/store.ts";
import { type Checkpoint, signCheckpoint } from "./checkpoint.ts";
import { type ChainHead, type ChainProblem, ChainWalker } from "./hash-chain.ts";
import { continueVerifying, DEFAULT_VERIFY_PAGE_SIZE } from "./verify-store.ts";

export type CheckpointOutcome =
  | { kind: "signed"; checkpoint: Checkpoint }
  /** An empty log has no head to vouch for. */
  | { kind: "empty" }
  /** The chain does not verify: nothing was signed. */
  | { kind: "broken"; problem: ChainProblem };

export class AuditCheckpointer {
  private readonly walker = new ChainWalker();
  /** The hash of entry 1, once the walk has passed it. */
  private chain: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly privateKey: KeyObject,
    /** The database as people name it, recorded in each checkpoint. */
    private readonly database: string,
    private readonly pageSize: number = DEFAULT_VERIFY_PAGE_SIZE,
  ) {}

  async take(atMs: number): Promise<CheckpointOutcome> {
    const rewound = await this.headWentBack();
    if (rewound) return { kind: "broken", problem: rewound };
    const verdict = await continueVerifying<never>(this.store, this.walker, this.pageSize, (entry) => {
      if (entry.seq === 1) this.chain = entry.hash;
      return null;
    });
    if (!verdict.ok) return { kind: "broken", problem: verdict.problem };
    if (verdict.head.seq === 0 || this.chain === null) return { kind: "empty" };
    const checkpoint = signCheckpoint(
      { chain: this.chain, head: verdict.head, atMs, database: this.database },
      this.privateKey,
    );
    return { kind: "signed", checkpoint };
  }

  /** The head only ever moves on; behind entries already walked, the tail was cut and the head rewound. */
  private async headWentBack(): Promise<ChainProblem | null> {
    const head = await this.store.getValue<ChainHead>(AUDIT_HEAD_KEY);
    const walked = this.walker.position.seq;
    if (head === null || head.seq >= walked) return null;
    return {
      seq: head.seq + 1,
      kind: "missing",
      reason: `the chain head went back from entry ${walked} to entry ${head.seq}: entries were cut off the end`,
    };
  }
}
