// Idempotency-Keys for submissions. Derived from what is submitted, so running the same `fjord submit`
// again (after a timeout, or on a file where some jobs were refused and then fixed) returns the jobs it
// created instead of creating them twice; a changed job gets a new key and is submitted as a new job.
import { createHash } from "node:crypto";
import { canonicalJson } from "../../audit/canonical-json.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import type { SubmissionBody } from "./submission-body.ts";

/** What the API accepts: 1 to 255 visible ASCII characters. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * The key of one submission: a SHA-256 over the body and the job's id in its file (null for a job given as
 * flags). The id tells apart two entries of one file that would send the same body; it is the entry's
 * position when the entry gives no id.
 */
export function derivedIdempotencyKey(body: SubmissionBody, entryId: string | null): string {
  const digest = createHash("sha256")
    .update(canonicalJson({ entry: entryId, job: body }))
    .digest("hex");
  return `fjord-${digest}`;
}

/** A key given with --idempotency-key: as it is for one job, `<key>/<entry id>` for each job of a file. */
export function givenIdempotencyKey(key: string, entryId: string | null): string {
  const full = entryId === null ? key : `${key}/${entryId}`;
  if (!KEY_FORMAT.test(full))
    throw new InputError("--idempotency-key", [
      issueAt(
        [],
        entryId === null
          ? "must be 1 to 255 visible ASCII characters (no spaces)"
          : `must be visible ASCII characters (no spaces), at most 255 with /${entryId} added for each job of a file`,
      ),
    ]);
  return full;
}
