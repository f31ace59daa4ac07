// `fjord explain --json`: the decisions exactly as the scheduler returned them, plus each waiting job's
// sentence as `message`, so scripts get both the structure to filter on and the text to show.
import type { Decisions, WaitingDecision } from "../../scheduler/decisions.ts";
import { describeWaiting } from "../../scheduler/explain.ts";
import { stableJson } from "./stable-json.ts";

export interface ExplainedWaiting extends WaitingDecision {
  message: string;
}

export interface ExplainedDecisions extends Omit<Decisions, "waiting"> {
  waiting: ExplainedWaiting[];
}

export function explainDecisions(decisions: Decisions): ExplainedDecisions {
  return {
    ...decisions,
    waiting: decisions.waiting.map((w) => ({
      ...w,
      message: describeWaiting(w.reason, w.estimatedStartAtMs),
    })),
  };
}

export function renderDecisionsJson(decisions: Decisions): string {
  return stableJson(explainDecisions(decisions));
}
