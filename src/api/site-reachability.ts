// Whether each site's executor answers, for the floor map. The simulated executor runs in this process
// and always does; a Slurm site's controller is asked with `scontrol ping` every PROBE_INTERVAL_MS. The
// API asks on its own rather than reading the executor's polls: the Executor interface tells only the
// greatest lag over every site, not which site's cluster stopped answering.
import { runSlurm } from "../executors/slurm/slurm-cli.ts";

export interface Reachability {
  /** null until the first answer (or when Fjord does not ask this kind of executor). */
  reachable: boolean | null;
  checkedAtMs: number | null;
  detail: string;
}

/** Resolves with what the controller said when it answers, rejects saying why when it does not. */
export type Ping = (slurmConf: string) => Promise<string>;

const PROBE_INTERVAL_MS = 15_000;
const PING_TIMEOUT_MS = 10_000;

export const pingSlurm: Ping = async (slurmConf) => {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", SLURM_CONF: slurmConf };
  const said = (await runSlurm("scontrol", ["ping"], env, PING_TIMEOUT_MS)).trim();
  // `scontrol ping` names each controller with UP or DOWN; one that is up takes work.
  if (!/\bis UP\b/.test(said)) throw new Error(said === "" ? "scontrol ping said nothing" : said);
  return said;
};

const IN_PROCESS: Reachability = {
  reachable: true,
  checkedAtMs: null,
  detail: "runs in the control plane's own process",
};

export class SiteReachability {
  private readonly state = new Map<string, Reachability>();
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;

  /** `slurmConfs`: each Slurm site's slurm.conf, by site id. */
  constructor(
    private readonly slurmConfs: ReadonlyMap<string, string>,
    private readonly nowMs: () => number,
    private readonly ping: Ping = pingSlurm,
  ) {
    for (const siteId of slurmConfs.keys())
      this.state.set(siteId, { reachable: null, checkedAtMs: null, detail: "not asked yet" });
  }

  start(): void {
    if (this.slurmConfs.size === 0 || this.timer !== null) return;
    void this.probe();
    this.timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.probing;
  }

  /** The site's executor as last asked; `executor` is its kind, as /v1/facility/racks names it. */
  of(siteId: string, executor: string): Reachability {
    if (executor === "simulated") return IN_PROCESS;
    return (
      this.state.get(siteId) ?? {
        reachable: null,
        checkedAtMs: null,
        detail: `Fjord does not ask a ${executor} executor whether it answers`,
      }
    );
  }

  /** Asks every Slurm site once (a round still running is not doubled). */
  probe(): Promise<void> {
    this.probing ??= Promise.all(
      [...this.slurmConfs].map(async ([siteId, slurmConf]) => {
        try {
          const said = await this.ping(slurmConf);
          this.state.set(siteId, { reachable: true, checkedAtMs: this.nowMs(), detail: said });
        } catch (err) {
          this.state.set(siteId, {
            reachable: false,
            checkedAtMs: this.nowMs(),
            detail: (err as Error).message,
          });
        }
      }),
    ).then(() => {
      this.probing = null;
    });
    return this.probing;
  }
}
