// How a Fjord worker thread and its owner talk. A message to the thread is a batch of commands, handled in
// the order they were posted. Commands without an id get no answer; those with an id get one reply each.

export interface ThreadData<D> {
  /** URL of the module the thread runs. */
  module: string;
  data: D;
}

export type Command = { id?: number };

/** The answer to a request, or (id null) the failure of a command that gets no answer. */
export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number | null; ok: false; message: string; stack: string | undefined };
