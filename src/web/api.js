// The dashboard's only way to Fjord: the public /v1 API with the user's own key, as any client would.
// The key lives in sessionStorage (gone when the tab closes) and is sent as a bearer header; the event
// stream opens with a one-use ticket instead, since EventSource cannot send headers (docs/api.md).

const KEY_STORAGE = "fjord.apiKey";
const RECONNECT_MS = 3000;

export const savedKey = () => sessionStorage.getItem(KEY_STORAGE);
export const saveKey = (key) => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = () => sessionStorage.removeItem(KEY_STORAGE);

/** A refusal from the API, with its problem document (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `the API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The reason given for each field, by field path. */
  fieldErrors() {
    return Object.fromEntries((this.problem?.errors ?? []).map((e) => [e.field, e.reason]));
  }
}

export async function api(path, { key = savedKey(), method = "GET", body } = {}) {
  const headers = { accept: "application/json", authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A file the API sends as an attachment (a report as CSV or HTML), as a Blob, or an ApiError. */
export async function apiFile(path, { key = savedKey() } = {}) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.blob();
}

/**
 * Follows /v1/events: `onEvent(type, data)` for each job, queue and reset event, `onState(state)` with
 * "connecting", "live" or "reconnecting". Each (re)connection takes a fresh ticket; events missed while
 * disconnected are not replayed, so `onState("live")` after the first is the cue to re-read. Returns close().
 */
export function followEvents(onEvent, onState) {
  let source = null;
  let closed = false;
  let timer = null;
  const retry = () => {
    source?.close();
    onState("reconnecting");
    if (!closed) timer = setTimeout(connect, RECONNECT_MS);
  };
  async function connect() {
    onState("connecting");
    let ticket;
    try {
      ticket = await api("/v1/events/tickets", { method: "POST", body: {} });
    } catch {
      retry();
      return;
    }
    if (closed) return;
    source = new EventSource(ticket.url);
    source.onopen = () => onState("live");
    // A dropped stream reconnects by itself with the spent ticket and is refused: take a new one.
    source.onerror = () => retry();
    for (const type of ["job", "queue", "reset"])
      source.addEventListener(type, (event) => onEvent(type, JSON.parse(event.data)));
  }
  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    source?.close();
  };
}
