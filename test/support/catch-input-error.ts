// Test helper: runs `fn`, expects it to throw InputError, and returns the error for assertions on its issues.
import { InputError } from "../../src/model/input-error.ts";

export function catchInputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("expected an InputError, but nothing was thrown");
}

/** `path: message` lines, the shape assertions read best in. */
export function issueLines(err: InputError): string[] {
  return err.issues.map((i) => `${i.path}: ${i.message}`);
}
