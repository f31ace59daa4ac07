// The options every command that talks to the API shares: where it is and which key to use.
// Both settings also come from the environment, so a key need not appear on a command line (where other
// users of the machine can read it in the process list).
import { type Command, Option } from "commander";
import { InputError, issueAt } from "../../model/input-error.ts";
import { CliFailure, EXIT_AUTH } from "../exit-codes.ts";
import { ApiClient } from "./api-client.ts";

export const DEFAULT_API_URL = "http://127.0.0.1:8080";

export interface ApiOptions {
  url: string;
  apiKey?: string;
  json?: boolean;
}

export function withApiOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--url <url>", "address of the Fjord API").env("FJORD_URL").default(DEFAULT_API_URL),
    )
    .addOption(
      new Option(
        "--api-key <key>",
        "API key (better in the environment: command lines are visible to others)",
      ).env("FJORD_API_KEY"),
    );
}

/** A client for the options; bad settings are refused before any request is made. */
export function apiClient(options: ApiOptions): ApiClient {
  return new ApiClient({ baseUrl: parseApiUrl(options.url), apiKey: requireApiKey(options.apiKey) });
}

export function parseApiUrl(text: string): URL {
  const problem = (reason: string) => new InputError("--url (or FJORD_URL)", [issueAt([], reason)]);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw problem(`"${text}" is not a URL; give one like ${DEFAULT_API_URL}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw problem(`must be an http:// or https:// URL, not ${url.protocol}//…`);
  if (url.username !== "" || url.password !== "")
    throw problem("must not carry a user name or password; the API key authenticates");
  if (url.search !== "" || url.hash !== "") throw problem("must not have a query or fragment");
  return url;
}

function requireApiKey(key: string | undefined): string {
  if (key === undefined || key === "")
    throw new CliFailure(
      "fjord: no API key: give --api-key or set FJORD_API_KEY " +
        "(fjord serve saves the first keys in <data-dir>/api-keys.json)",
      EXIT_AUTH,
    );
  // A header cannot carry spaces or control characters; fetch would fail with a message about headers.
  if (!/^[\x21-\x7e]+$/.test(key))
    throw new InputError("--api-key (or FJORD_API_KEY)", [
      issueAt([], "must be printable ASCII without spaces, like fjk_key_…_…"),
    ]);
  return key;
}
