// The Signet console: plain DOM, no framework, no inline code (the CSP allows none). Data from the
// server is only ever set as text (textContent), never parsed as HTML.
"use strict";

const TOKEN_KEY = "signet.adminToken";
const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** One admin API call: the answer's data, or an Error carrying the server's description. */
async function api(method, path) {
  const res = await fetch(path, { method, headers: { Authorization: "Bearer " + token() }, cache: "no-store" });
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON: reported below */ }
  if (res.status === 401 && path.startsWith("/admin/")) {
    signOut("The server refused the admin token.");
    throw new Error("signed out");
  }
  if (!body || !("data" in body)) {
    throw new Error((body && body.error && body.error.description) || ("HTTP " + res.status));
  }
  return body.data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function time(unix) {
  return unix === null || unix === undefined ? "never" : new Date(unix * 1000).toISOString().replace(".000Z", "Z").replace("T", " ");
}

function showError(message) {
  $("app-error").textContent = message || "";
}

/** Asks in a modal dialog; resolves true on Confirm. */
function confirmAction(text) {
  const dialog = $("confirm");
  $("confirm-text").textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "cancel";
    dialog.showModal();
    $("confirm-ok").focus();
  });
}

function button(text, label, onClick, cls) {
  const b = el("button", text, cls);
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    if (c instanceof Node) {
      const td = document.createElement("td");
      td.append(c);
      tr.append(td);
    } else {
      tr.append(el("td", c.text, c.id ? "id" : undefined));
    }
  }
  return tr;
}

// ---- views ----

const views = ["users", "oauth", "service-keys", "live"];
let liveTimer = null;

function show(view) {
  for (const v of views) {
    $("view-" + v).hidden = v !== view;
  }
  for (const b of document.querySelectorAll("nav button")) {
    if (b.dataset.view === view) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
  }
  showError("");
  clearInterval(liveTimer);
  liveTimer = null;
  if (view === "users") loadUsers(true);
  if (view === "oauth") loadAuthorizations(true);
  if (view === "service-keys") loadServiceKeys(true);
  if (view === "live") startLive();
}

/** A listing with "More": keeps its cursor, appends pages. */
function pager(tableId, moreId, path, field, render) {
  let cursor = null;
  return async function load(fresh, query) {
    const tbody = $(tableId).querySelector("tbody");
    if (fresh) {
      cursor = null;
      tbody.replaceChildren();
    }
    const params = new URLSearchParams(query || {});
    params.set("limit", "50");
    if (cursor) params.set("cursor", cursor);
    try {
      const data = await api("GET", path + "?" + params);
      for (const item of data[field]) tbody.append(render(item));
      cursor = data.next_cursor;
      $(moreId).hidden = !cursor;
      if (!data[field].length && fresh) tbody.append(row([{ text: "nothing here" }]));
    } catch (e) {
      showError(e.message);
    }
  };
}

const userPager = pager("users", "users-more", "/admin/users", "users", (u) => row([
  { text: u.name === null ? "(no name)" : u.name }, { text: u.user_id, id: true }, { text: u.session_count }, { text: time(u.created_at) },
  button("Open", "Open user " + (u.name || u.user_id), () => openUser(u.user_id)),
]));

function loadUsers(fresh) {
  const prefix = $("name-prefix").value.trim();
  return userPager(fresh, prefix ? { name_prefix: prefix } : {});
}

async function openUser(uid) {
  showError("");
  let u;
  try {
    u = await api("GET", "/admin/users/" + encodeURIComponent(uid));
  } catch (e) {
    showError(e.message);
    return;
  }
  $("user-title").textContent = u.name === null ? u.user_id : u.name;
  const facts = $("user-facts");
  facts.replaceChildren();
  for (const [k, v] of [["User id", u.user_id], ["Created", time(u.created_at)], ["PIN", u.has_pin ? "set" : "not set"], ["Sessions", u.sessions.length]]) {
    facts.append(el("dt", k), el("dd", v));
  }
  const tbody = $("sessions").querySelector("tbody");
  tbody.replaceChildren();
  for (const s of u.sessions) {
    tbody.append(row([
      { text: s.session_id, id: true }, { text: s.algorithm }, { text: s.scopes === null ? "(any)" : s.scopes.join(" ") },
      { text: time(s.created_at) }, { text: time(s.last_used_at) },
      button("Revoke", "Revoke session " + s.session_id, () => revokeSession(u, s.session_id), "danger"),
    ]));
  }
  if (!u.sessions.length) tbody.append(row([{ text: "no sessions" }]));
  const del = $("delete-user");
  del.onclick = () => deleteUser(u);
  $("user-detail").hidden = false;
  $("user-title").setAttribute("tabindex", "-1");
  $("user-title").focus();
}

async function revokeSession(u, sid) {
  if (!(await confirmAction("Revoke session " + sid + "? Its next request is refused."))) return;
  try {
    await api("DELETE", "/admin/sessions/" + encodeURIComponent(sid));
    await openUser(u.user_id);
  } catch (e) {
    showError(e.message);
  }
}

async function deleteUser(u) {
  if (!(await confirmAction("Delete user " + (u.name || u.user_id) + " with all its sessions, authorizations and PIN?"))) return;
  try {
    await api("DELETE", "/admin/users/" + encodeURIComponent(u.user_id));
    $("user-detail").hidden = true;
    await loadUsers(true);
  } catch (e) {
    showError(e.message);
  }
}

const authorizationPager = pager("authorizations", "oauth-more", "/admin/oauth/authorizations", "authorizations", (a) => row([
  { text: a.authorization_id, id: true }, { text: a.app_id, id: true }, { text: a.user_id, id: true }, { text: a.scopes.join(" ") },
  { text: time(a.created_at) },
  button("Revoke", "Revoke authorization " + a.authorization_id, async () => {
    if (!(await confirmAction("Revoke authorization " + a.authorization_id + "?"))) return;
    try {
      await api("DELETE", "/admin/oauth/authorizations/" + encodeURIComponent(a.authorization_id));
      await loadAuthorizations(true);
    } catch (e) {
      showError(e.message);
    }
  }, "danger"),
]));

function loadAuthorizations(fresh) {
  const q = {};
  if ($("oauth-user").value.trim()) q.user_id = $("oauth-user").value.trim();
  if ($("oauth-app").value.trim()) q.app_id = $("oauth-app").value.trim();
  return authorizationPager(fresh, q);
}

const keyPager = pager("service-keys", "keys-more", "/admin/service-keys", "service_keys", (k) => row([
  { text: k.issuer }, { text: k.kid }, { text: time(k.created_at) },
  button("Revoke", "Revoke key " + k.issuer + "/" + k.kid, async () => {
    if (!(await confirmAction("Revoke service key " + k.issuer + "/" + k.kid + "?"))) return;
    try {
      await api("DELETE", "/admin/service-keys/" + encodeURIComponent(k.issuer) + "/" + encodeURIComponent(k.kid));
      await loadServiceKeys(true);
    } catch (e) {
      showError(e.message);
    }
  }, "danger"),
]));

function loadServiceKeys(fresh) {
  return keyPager(fresh, {});
}

// ---- live figures: /admin/stats once a second; rates are differences between two reads ----

let previous = null;
const history = [];

function startLive() {
  previous = null;
  tick();
  liveTimer = setInterval(tick, 1000);
}

async function tick() {
  let s;
  try {
    s = await api("GET", "/admin/stats");
  } catch (e) {
    showError(e.message);
    return;
  }
  const seconds = previous ? Math.max(0.001, (s.at_ms - previous.at_ms) / 1000) : null;
  const before = new Map((previous ? previous.verifications : []).map((v) => [v.scheme + " " + v.outcome, v.count]));
  let accepted = 0;
  let refused = 0;
  const tbody = $("live-table").querySelector("tbody");
  tbody.replaceChildren();
  const rows = [...s.verifications].sort((a, b) => (a.scheme + a.outcome).localeCompare(b.scheme + b.outcome));
  for (const v of rows) {
    const rate = seconds === null ? 0 : (v.count - (before.get(v.scheme + " " + v.outcome) || 0)) / seconds;
    if (v.outcome === "ok") accepted += rate; else refused += rate;
    tbody.append(row([{ text: v.scheme }, { text: v.outcome }, { text: seconds === null ? "-" : rate.toFixed(1) }, { text: v.count }]));
  }
  if (!rows.length) tbody.append(row([{ text: "no verifications yet" }]));
  $("live-accepted").textContent = seconds === null ? "-" : accepted.toFixed(1);
  $("live-refused").textContent = seconds === null ? "-" : refused.toFixed(1);
  $("live-p99").textContent = s.latency.p99_ms === undefined ? "-" : s.latency.p99_ms.toFixed(2) + " ms";
  $("live-crypto").textContent = s.crypto.ed25519;
  const byScheme = Object.entries(s.websockets.by_scheme).filter(([, n]) => n > 0).map(([k, n]) => k + " " + n).join(", ");
  $("live-websockets").textContent = s.websockets.open + (byScheme ? " (" + byScheme + ")" : "");
  const limited = (l) => Object.values(l.rate_limited).reduce((a, b) => a + b, 0);
  const addresses = s.limits.throttled_addresses ? " (" + s.limits.throttled_addresses + " addresses)" : "";
  $("live-429").textContent = seconds === null ? "-"
    : ((limited(s.limits) - limited(previous.limits)) / seconds).toFixed(1) + ", "
      + ((s.limits.throttled - previous.limits.throttled) / seconds).toFixed(1) + addresses;
  if (s.replay.capacity) {
    const fill = s.replay.entries / s.replay.capacity;
    $("live-replay").textContent = (fill * 100).toFixed(fill < 0.01 ? 3 : 1) + "% (" + s.replay.entries + ")";
    $("live-replay-bar").style.width = Math.min(100, fill * 100) + "%";
  } else {
    $("live-replay").textContent = s.replay.type;
  }
  if (seconds !== null) {
    history.push([accepted, refused]);
    if (history.length > 60) history.shift();
    draw();
  }
  previous = s;
}

function draw() {
  const canvas = $("live-chart");
  const ctx = canvas.getContext("2d");
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(1, ...history.map(([a, r]) => Math.max(a, r)));
  const line = (index, color) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    history.forEach((p, i) => {
      const x = (w * i) / 59;
      const y = h - 4 - ((h - 8) * p[index]) / max;
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  };
  line(0, "#1e7d3a");
  line(1, "#b3261e");
  ctx.fillStyle = "#5b6570";
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(max.toFixed(0) + "/s", 4, 14);
}

// ---- health: /healthz every 5 s, shown in the header ----

async function health() {
  const h = $("health");
  try {
    const res = await fetch("/healthz", { cache: "no-store" });
    const body = await res.json();
    if (res.ok) {
      h.textContent = "healthy: store " + body.data.store + ", replay " + body.data.replay + ", Ed25519 " + body.data.crypto.ed25519;
      h.className = "health ok";
    } else {
      h.textContent = body.error.description;
      h.className = "health bad";
    }
  } catch (e) {
    h.textContent = "server unreachable";
    h.className = "health bad";
  }
}

// ---- sign in and out ----

function signedIn() {
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("sign-out").hidden = false;
  show("users");
  $("name-prefix").focus();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(liveTimer);
  $("app").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message || "";
  $("token").value = "";
  $("token").focus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    try {
      await api("GET", "/admin/stats");
      $("token").value = "";
      signedIn();
    } catch (e) {
      if (e.message !== "signed out") signOut(e.message);
    }
  });
  $("sign-out").addEventListener("click", () => signOut(""));
  for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => show(b.dataset.view));
  $("user-search").addEventListener("submit", (ev) => { ev.preventDefault(); $("user-detail").hidden = true; loadUsers(true); });
  $("users-more").addEventListener("click", () => loadUsers(false));
  $("oauth-search").addEventListener("submit", (ev) => { ev.preventDefault(); loadAuthorizations(true); });
  $("oauth-more").addEventListener("click", () => loadAuthorizations(false));
  $("keys-more").addEventListener("click", () => loadServiceKeys(false));
  health();
  setInterval(health, 5000);
  if (token()) signedIn(); else $("token").focus();
});
