// Errors the store throws besides DuplicateJobError (declared with the Store interface).

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
