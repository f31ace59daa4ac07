// A worker for worker-thread.test.ts: keeps the values posted to it and answers requests with them all.
import { serveCommands, threadData } from "../serve-commands.ts";

type EchoCommand = { id?: number; value?: string; fail?: boolean; exit?: boolean };

const seen: string[] = [threadData<string>()];
serveCommands<EchoCommand>((command) => {
  if (command.exit) process.exit(3);
  if (command.fail) throw new Error(`refused ${command.value}`);
  if (command.id === undefined) seen.push(command.value ?? "");
  return [...seen];
});
