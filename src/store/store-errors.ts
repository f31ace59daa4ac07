// Errors the store throws besides DuplicateJobError (declared with the Store interface).
import { unstorableTextProblem } from "../model/input-schemas.ts";

/** A start would give a GPU that another job (or the same allocation) already holds; nothing was written. */
export class GpuAlreadyHeldError extends Error {
  override readonly name = "GpuAlreadyHeldError";
  constructor(
    readonly jobId: string,
    readonly nodeId: string,
    readonly gpuIndex: number,
    /** The job holding the GPU; equal to jobId when the allocation names the GPU twice. */
    readonly holderJobId: string,
  ) {
    super(
      holderJobId === jobId
        ? `job ${jobId} cannot start: its allocation names GPU ${gpuIndex} on node ${nodeId} twice`
        : `job ${jobId} cannot start: GPU ${gpuIndex} on node ${nodeId} is held by job ${holderJobId}`,
    );
  }
}

/** A page cursor that no earlier page handed out (a client edited or invented it). */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
  constructor(readonly cursor: string) {
    super("cursor is not a nextCursor value from an earlier page");
  }
}

/**
 * Text that PostgreSQL cannot keep: U+0000 (refused in text and JSON) or a lone UTF-16 surrogate (no UTF-8
 * form; JSON.stringify writes it as an escape that jsonb refuses). The API refuses both at its boundary; the
 * store checks again before writing so a path that forgot answers a client error, never a failed statement.
 */
export class UnstorableTextError extends Error {
  override readonly name = "UnstorableTextError";
  constructor(
    /** Where the text is, like `labels.team` or `name`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Throws UnstorableTextError for the first string (object keys included) in `value` PostgreSQL cannot store. */
export function assertStorable(value: unknown, field = ""): void {
  if (typeof value === "string") {
    const problem = unstorableTextProblem(value);
    if (problem !== null) throw new UnstorableTextError(field, problem);
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) assertStorable(item, `${field}[${i}]`);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const at = field === "" ? key : `${field}.${key}`;
      const problem = unstorableTextProblem(key);
      if (problem !== null) throw new UnstorableTextError(at, `key ${problem}`);
      assertStorable(item, at);
    }
  }
}
