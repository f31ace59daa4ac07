// Runs async sections one after another. Passes, job ends, cancellations and policy changes each read and
// write both the scheduler's memory and the store; interleaving two of them could start a job twice.

export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    // The next section waits for this one whether it succeeds or fails.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
