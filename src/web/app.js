// The dashboard's shell: sign-in with an API key, then the facility, queue, energy, usage and reports pages
// under hash routes (#/facility, #/queues, #/energy, #/usage, #/reports), one live event stream for all.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, forgetKey, savedKey, saveKey } from "./api.js";
import { EnergyPage } from "./energy.js";
import { FacilityPage } from "./facility.js";
import { html } from "./html.js";
import { startLive, stopLive, useLiveState } from "./live.js";
import { QueuesPage } from "./queues.js";
import { ReportsPage } from "./reports.js";
import { UsagePage } from "./usage.js";

const PAGES = [
  { route: "facility", title: "Facility", Page: FacilityPage },
  { route: "queues", title: "Queues", Page: QueuesPage },
  { route: "energy", title: "Energy", Page: EnergyPage },
  { route: "usage", title: "Usage", Page: UsagePage },
  { route: "reports", title: "Reports", Page: ReportsPage },
];

function currentRoute() {
  const route = location.hash.replace(/^#\/?/, "").split("/")[0];
  return PAGES.some((p) => p.route === route) ? route : "facility";
}

function Login({ onSignedIn }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const key = new FormData(event.currentTarget).get("key").trim();
    setBusy(true);
    try {
      const me = await api("/v1/me", { key });
      saveKey(key);
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : `Fjord did not answer (${err.message})`);
    } finally {
      setBusy(false);
    }
  };
  return html`<main id="main" class="login">
    <h1>Sign in to Fjord</h1>
    <form onSubmit=${submit} class="card" novalidate>
      <label for="api-key">API key</label>
      <input
        id="api-key"
        name="key"
        type="password"
        autocomplete="off"
        spellcheck="false"
        required
        aria-describedby="api-key-help ${error ? "api-key-error" : ""}"
        aria-invalid=${error ? "true" : "false"}
      />
      <p id="api-key-help" class="help">
        A key from <code>.fjord/api-keys.json</code> or <code>fjord keys create</code>. It is kept in this tab
        only and sent to this server alone.
      </p>
      ${error && html`<p id="api-key-error" class="field-error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>${busy ? "Signing in…" : "Sign in"}</button>
    </form>
  </main>`;
}

function LiveBadge() {
  const state = useLiveState();
  const label = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" }[state];
  return html`<p class="live live-${state}" role="status" data-live=${state}>${label}</p>`;
}

function Shell({ me, onSignOut }) {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const follow = () => setRoute(currentRoute());
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);
  const page = PAGES.find((p) => p.route === route);
  useEffect(() => {
    document.title = `${page.title} · Fjord`;
  }, [page]);
  const who = me.role === "operator" ? "Operator" : `${me.tenant} (${me.role})`;
  return html`<div class="shell">
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <p class="brand">Fjord</p>
      <nav aria-label="Dashboard">
        <ul>
          ${PAGES.map(
            (p) =>
              html`<li>
                <a href="#/${p.route}" aria-current=${p.route === route ? "page" : undefined}>${p.title}</a>
              </li>`,
          )}
        </ul>
      </nav>
      <${LiveBadge} />
      <p class="who">${who}</p>
      <button type="button" class="quiet" onClick=${onSignOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1"><${page.Page} key=${route} me=${me} /></main>
  </div>`;
}

function App() {
  const [me, setMe] = useState(null);
  const [checking, setChecking] = useState(savedKey() !== null);
  useEffect(() => {
    if (savedKey() === null) return;
    api("/v1/me")
      .then(setMe)
      .catch(() => forgetKey())
      .finally(() => setChecking(false));
  }, []);
  useEffect(() => {
    if (me === null) return;
    startLive();
    return stopLive;
  }, [me]);
  if (checking) return html`<main id="main"><p>Signing in…</p></main>`;
  if (me === null) return html`<${Login} onSignedIn=${setMe} />`;
  const signOut = () => {
    forgetKey();
    setMe(null);
  };
  return html`<${Shell} me=${me} onSignOut=${signOut} />`;
}

const root = document.getElementById("app");
// The placeholder in index.html paints at once; the app takes its place.
root.textContent = "";
render(html`<${App} />`, root);
