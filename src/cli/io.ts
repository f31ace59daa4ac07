// Where the CLI writes. Commands take it as a parameter instead of touching process.stdout, so tests and
// later embeddings (a server answering `explain` over HTTP) can capture the output.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

let pipeGuarded = false;

/** The process's stdout and stderr. */
export function processIo(): CliIo {
  if (!pipeGuarded) {
    // A reader that stops early (`fjord explain … | head`) closes the pipe: not a failure of fjord, and
    // without a listener Node would crash with an unhandled EPIPE.
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
    pipeGuarded = true;
  }
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}
