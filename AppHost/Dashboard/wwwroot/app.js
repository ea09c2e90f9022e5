// DevEnv dashboard: renders the resource snapshots and log lines that arrive over server-sent events.
// No framework and no build step; every value from the server goes into the DOM as text, never as HTML.
"use strict";

const state = { scaleDrafts: new Map(), resources: new Map(), logs: new Map(), lastSeq: new Map(), selected: null, logResource: null, envCommands: [] };
const MAX_LINES = 2000;
const BUSY = new Set(["Starting", "Building", "Pushing", "RollingOut", "Stopping"]);
const $ = (sel) => document.querySelector(sel);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

// ---- commands -------------------------------------------------------------------------------------------
async function runCommand(resource, command, args, button) {
  if (command === "tear-down" && !confirm("Tear the environment down? The cluster and the registry container are removed (the registry volume is kept).")) return;
  const url = resource ? `/api/resources/${encodeURIComponent(resource)}/commands/${encodeURIComponent(command)}` : `/api/commands/${encodeURIComponent(command)}`;
  if (button) button.disabled = true;
  COMMAND_VIEWS[command]?.started(resource);
  try {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-DevEnv-Request": "1" }, body: JSON.stringify(args || {}), credentials: "same-origin" });
    const body = await res.json().catch(() => ({ success: false, message: `HTTP ${res.status}` }));
    const view = COMMAND_VIEWS[command];
    if (view && body.data) view.done(resource, body.data);
    else if (view) view.failed(resource, body.message);
    // A command with figures draws them in its own card; the toast keeps to the headline.
    const message = body.message || (body.success ? "Done." : "Failed.");
    toast(body.data ? message.split("\n")[0] : message, body.success);
  } catch (e) {
    COMMAND_VIEWS[command]?.failed(resource, e.message);
    toast(`Could not reach the AppHost: ${e.message}`, false);
  } finally {
    if (button) button.disabled = false;
  }
}

function toast(text, ok) {
  const el = h("div", { class: "toast" + (ok ? "" : " fail"), role: "status" }, text);
  $("#toasts").append(el);
  setTimeout(() => el.remove(), ok ? 5000 : 12000);
}

// Start only makes sense for a resource that is not up, Stop for one that is (or is on its way).
function offered(r, c) {
  const up = r.state === "Running" || r.state === "Degraded" || BUSY.has(r.state);
  if (c.name === "start") return !up;
  if (c.name === "stop") return up && r.state !== "Stopping";
  return true;
}

function commandButtons(r) {
  return r.commands.filter((c) => offered(r, c)).map((c) => {
    if (c.name === "scale") {
      // The table re-renders on every snapshot; keep what the user typed so an update cannot reset it.
      const input = h("input", { type: "number", min: "0", max: "20", value: state.scaleDrafts.get(r.name) ?? (r.properties.replicas || r.properties.desiredReplicas || "3"), "aria-label": "replicas",
        oninput: (e) => state.scaleDrafts.set(r.name, e.currentTarget.value) });
      return h("span", { class: "scale" }, input,
        h("button", { "data-command": c.name, onclick: (e) => { e.stopPropagation(); const replicas = input.value; state.scaleDrafts.delete(r.name); runCommand(r.name, c.name, { replicas }, e.currentTarget); } }, c.displayName));
    }
    const cls = c.name === "rebuild-deploy" ? "primary" : c.name === "tear-down" ? "danger" : "";
    return h("button", { class: cls, "data-command": c.name, onclick: (e) => { e.stopPropagation(); runCommand(r.name, c.name, {}, e.currentTarget); } }, c.displayName);
  });
}

// ---- resources table --------------------------------------------------------------------------------------
function uptime(r) {
  if (!r.runningSince || !(r.state === "Running" || r.state === "Degraded")) return "";
  let s = Math.max(0, Math.floor((Date.now() - Date.parse(r.runningSince)) / 1000));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  return d ? `${d}d ${hh}h` : hh ? `${hh}h ${mm}m` : mm ? `${mm}m ${s}s` : `${s}s`;
}

function renderTable() {
  const body = $("#resources tbody");
  // A live update rebuilds the rows; give the focus back to the scale box the user was typing in.
  const focused = document.activeElement?.closest?.(".scale") ? document.activeElement.closest("tr")?.dataset.resource : null;
  body.replaceChildren(...[...state.resources.values()].map((r) => h("tr", {
      "data-resource": r.name, "data-state": r.state, class: state.selected === r.name ? "selected" : "",
      onclick: () => select(r.name),
    },
    h("td", {}, h("span", { class: "res-name" }, r.name), h("span", { class: "kind" }, r.kind)),
    h("td", {}, h("span", { class: `badge state s-${r.state}` }, r.state)),
    h("td", { class: "reason" + (r.state === "Failed" ? " bad" : "") }, h("div", { title: r.reason || "" }, r.reason || "")),
    h("td", { class: "uptime", "data-since": r.runningSince || "" }, uptime(r)),
    h("td", { class: "endpoints" }, r.endpoints.map((e) => h("a", { href: e.url, target: "_blank", rel: "noopener noreferrer", title: e.name }, e.url))),
    h("td", {}, h("div", { class: "actions" }, commandButtons(r))))));
  if (focused) body.querySelector(`tr[data-resource="${CSS.escape(focused)}"] .scale input`)?.focus();
  const all = [...state.resources.values()];
  const running = all.filter((r) => r.state === "Running").length;
  const failed = all.filter((r) => r.state === "Failed").length;
  $("#summary").textContent = `${running}/${all.length} running` + (failed ? ` · ${failed} failed` : "");
}

function tickUptimes() {
  for (const row of document.querySelectorAll("#resources tbody tr")) {
    const r = state.resources.get(row.dataset.resource);
    if (r) row.querySelector(".uptime").textContent = uptime(r);
  }
}

function renderEnvCommands() {
  $("#env-commands").replaceChildren(...state.envCommands.map((c) =>
    h("button", { class: c.name === "tear-down" ? "danger" : "", "data-command": c.name, onclick: (e) => runCommand(null, c.name, {}, e.currentTarget) }, c.displayName)));
}

function select(name) {
  state.selected = name;
  state.logResource = name;
  renderTable(); renderTabs(); renderLog(); renderDetails();
}

// ---- logs ---------------------------------------------------------------------------------------------------
function addLog(line) {
  const last = state.lastSeq.get(line.resource) || 0;
  if (line.sequence <= last) return; // a replay after a reconnect
  state.lastSeq.set(line.resource, line.sequence);
  const lines = state.logs.get(line.resource) || [];
  lines.push(line);
  if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
  state.logs.set(line.resource, lines);
  if (line.resource === state.logResource && matchesFilter(line)) {
    const log = $("#log");
    log.append(logLine(line));
    while (log.childNodes.length > MAX_LINES) log.firstChild.remove();
    if ($("#log-follow").checked) log.scrollTop = log.scrollHeight;
  }
  scheduleTabs();
}

function matchesFilter(line) {
  const f = $("#log-filter").value.trim().toLowerCase();
  return !f || line.text.toLowerCase().includes(f);
}

function logLine(line) {
  const t = new Date(line.timestamp).toLocaleTimeString([], { hour12: false });
  const cls = line.isError ? "err" : line.text.startsWith("[") ? "state" : line.text.startsWith("$ ") || line.text.startsWith("> ") ? "cmd" : "";
  return h("span", { class: "line" }, h("span", { class: "ts" }, t), h("span", { class: cls }, line.text));
}

function renderLog() {
  const lines = (state.logs.get(state.logResource) || []).filter(matchesFilter);
  const log = $("#log");
  log.replaceChildren(...lines.map(logLine));
  log.scrollTop = log.scrollHeight;
}

let tabsPending = false;
function scheduleTabs() { if (!tabsPending) { tabsPending = true; requestAnimationFrame(() => { tabsPending = false; renderTabs(); }); } }
function renderTabs() {
  if (!state.logResource && state.resources.size) state.logResource = state.resources.keys().next().value;
  $("#log-tabs").replaceChildren(...[...state.resources.keys()].map((name) =>
    h("button", { class: name === state.logResource ? "active" : "", "data-log": name, onclick: () => { state.logResource = name; renderTabs(); renderLog(); } },
      name, h("span", { class: "count" }, String((state.logs.get(name) || []).length)))));
}

// ---- properties: build pipeline, rollout, details -------------------------------------------------------------
function parseJson(v) { if (typeof v !== "string" || !/^\s*[\[{]/.test(v)) return undefined; try { return JSON.parse(v); } catch { return undefined; } }
const isTiming = (k) => /(time|duration|elapsed|seconds|stage|ms$)/i.test(k);
function seconds(v) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(v);
  if (m) return m[2] === "ms" ? Number(m[1]) / 1000 : Number(m[1]);
  const t = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(v.trim());
  return t ? Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]) : NaN;
}
const STAGE_ORDER = ["restore", "build", "compile", "publish", "trim", "layer", "container", "image", "push", "total"];
const stageRank = (k) => { const i = STAGE_ORDER.findIndex((s) => k.toLowerCase().includes(s)); return i < 0 ? STAGE_ORDER.length - 1.5 : i; };
const byStage = ([a], [b]) => stageRank(a) - stageRank(b) || a.localeCompare(b);
function fact(k, v) { return h("span", { class: "fact" }, h("b", {}, k), /^(sha256:|[\w.-]+:\d+\/)/.test(v) ? h("code", {}, v) : v); }

function jsonTable(value) {
  const rows = Array.isArray(value) ? value : [value];
  if (!rows.length || typeof rows[0] !== "object") return h("code", {}, JSON.stringify(value));
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r || {})))];
  return h("table", { class: "json-table" }, h("thead", {}, h("tr", {}, cols.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, cols.map((c) => h("td", {}, typeof r[c] === "object" ? JSON.stringify(r[c]) : String(r[c] ?? "")))))));
}

function renderPipeline() {
  const images = [...state.resources.values()].filter((r) => /image/i.test(r.kind));
  const boxes = images.filter((r) => Object.keys(r.properties).length).map((r) => {
    const timings = Object.entries(r.properties).filter(([k, v]) => isTiming(k) && !isNaN(seconds(v))).map(([k, v]) => [k, seconds(v)]);
    const max = Math.max(0.001, ...timings.map(([, s]) => s));
    const facts = Object.entries(r.properties).filter(([k, v]) => k !== "lastError" && !(isTiming(k) && !isNaN(seconds(v))) && parseJson(v) === undefined);
    const tables = Object.entries(r.properties).filter(([, v]) => parseJson(v) !== undefined);
    return h("div", { class: "build", "data-pipeline": r.name },
      h("h3", {}, r.name, " ", h("span", { class: `badge s-${r.state}` }, r.state)),
      r.properties.lastError ? h("pre", { class: "build-error" }, r.properties.lastError) : null,
      h("div", { class: "facts" }, facts.map(([k, v]) => fact(k, v))),
      timings.sort(byStage).map(([k, s]) => {
        const fill = h("span", {});
        fill.style.width = `${Math.max(2, (s / max) * 100).toFixed(1)}%`; // CSSOM, not an inline style attribute: the CSP forbids those
        return h("div", { class: "stage" }, h("span", { title: k }, k.replace(/^(stage|timing|duration)[._-]/i, "").replace(/(Seconds|Ms|Time)$/, "")), h("div", { class: "bar" }, fill), h("span", { class: "secs" }, `${s.toFixed(1)} s`));
      }),
      tables.map(([k, v]) => h("div", {}, h("div", { class: "muted" }, k), jsonTable(parseJson(v)))));
  });
  $("#pipeline").replaceChildren(...(boxes.length ? boxes : [h("p", { class: "empty" }, "No image resource has reported a build yet.")]));
}

const podSet = (p) => p.replicaSet || p.revision || p.podTemplateHash || p.template || "pods";
const podReady = (p) => p.ready === true || p.ready === "true" || p.ready === "True";
function whyNotReady(p) {
  const parts = [];
  for (const k of ["stateReason", "stateMessage", "reason", "message", "lastTerminationReason", "probeFailures", "events"]) {
    const v = p[k];
    if (!v || (Array.isArray(v) && !v.length)) continue;
    parts.push(...(Array.isArray(v) ? v.map((e) => (typeof e === "object" ? Object.values(e).join(" ") : String(e))) : [typeof v === "object" ? JSON.stringify(v) : String(v)]));
  }
  return parts;
}

function renderRollout() {
  const deployments = [...state.resources.values()].filter((r) => /deploy/i.test(r.kind));
  const blocks = deployments.map((d) => {
    const pods = parseJson(d.properties.pods);
    const facts = Object.entries(d.properties).filter(([k, v]) => k !== "pods" && parseJson(v) === undefined);
    const groups = new Map();
    for (const p of Array.isArray(pods) ? pods : []) { const k = podSet(p); if (!groups.has(k)) groups.set(k, []); groups.get(k).push(p); }
    const sets = [...groups.entries()];
    // The new ReplicaSet runs the image the deployment applied last; the others are on their way out.
    const current = sets.find(([, ps]) => ps.some((p) => p.image && p.image === d.properties.image));
    const newest = d.properties.newReplicaSet || (current ? current[0] : sets.length ? sets[sets.length - 1][0] : null);
    return h("div", { "data-rollout": d.name },
      h("h3", {}, d.name, " ", h("span", { class: `badge s-${d.state}` }, d.state)),
      h("div", { class: "facts" }, facts.map(([k, v]) => fact(k, v))),
      sets.length ? h("div", { class: "rs-columns" }, sets.map(([name, ps]) => h("div", { class: "rs" + (name === newest ? " new" : ""), "data-replicaset": name },
        h("div", { class: "rs-head" }, h("span", {}, name === newest ? "new " : "old ", h("span", { class: "tag" }, name)), h("span", {}, `${ps.filter(podReady).length}/${ps.length} ready`)),
        ps.map((p) => {
          const why = podReady(p) ? [] : whyNotReady(p);
          const failed = /fail|crash|error|backoff/i.test(`${p.phase || ""} ${p.reason || ""}`);
          return h("div", { class: "pod " + (podReady(p) ? "ready" : failed ? "failed" : "notready"), "data-pod": p.name || "" },
            h("div", { class: "pod-name" }, p.name || "(pod)"),
            h("div", {}, [p.terminating ? "Terminating" : p.phase, podReady(p) ? "ready" : "not ready", p.restarts ? `${p.restarts} restarts` : null, p.node].filter(Boolean).join(" · ")),
            (p.digest || p.imageDigest || p.image) ? h("div", { class: "digest", title: [p.image, p.digest || p.imageDigest].filter(Boolean).join("\n") }, shortDigest(p.digest || p.imageDigest || p.image)) : null,
            why.length ? h("div", { class: "why" }, why.join("\n")) : null);
        })))) : h("p", { class: "empty" }, d.state === "Running" ? "No pod details published." : "No pods yet."));
  });
  $("#rollout").replaceChildren(...(blocks.length ? blocks : [h("p", { class: "empty" }, "No deployment resource in this environment.")]));
}
function shortDigest(v) { const m = /sha256:([0-9a-f]{12})/.exec(v); return m ? `sha256:${m[1]}…` : v; }

function renderDetails() {
  const r = state.resources.get(state.selected);
  $("#details-name").textContent = r ? r.name : "";
  if (!r) return;
  const rows = [["kind", r.kind], ["state", r.state], ["since", new Date(r.stateChangedAt).toLocaleString()], ["depends on", r.dependsOn.join(", ") || "nothing"], ["version", String(r.version)]];
  $("#details").replaceChildren(h("dl", {}, rows.concat(Object.entries(r.properties)).flatMap(([k, v]) => {
    const json = parseJson(v);
    return [h("dt", {}, k), h("dd", {}, json === undefined ? v : JSON.stringify(json, null, 2))];
  })));
}

// ---- live feed -----------------------------------------------------------------------------------------------
function upsert(r) {
  const prev = state.resources.get(r.name);
  if (prev && prev.version > r.version) return;
  state.resources.set(r.name, r);
  if (!state.selected) state.selected = r.name;
  scheduleRender();
}
let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderTable(); renderTabs(); renderPipeline(); renderRollout(); renderDetails(); });
}

function setConnection(s, label) { const c = $("#connection"); c.dataset.state = s; c.querySelector(".label").textContent = label; }

async function start() {
  const res = await fetch("/api/resources", { credentials: "same-origin" });
  if (res.status === 401) { location.href = "/"; return; }
  const data = await res.json();
  $("#env-name").textContent = data.environment;
  document.title = `DevEnv · ${data.environment}`;
  state.envCommands = data.commands;
  renderEnvCommands();
  data.resources.forEach(upsert);
  const es = new EventSource("/api/stream");
  es.addEventListener("open", () => setConnection("live", "live"));
  es.addEventListener("error", () => setConnection("lost", "reconnecting…"));
  es.addEventListener("resource", (e) => upsert(JSON.parse(e.data)));
  es.addEventListener("log", (e) => addLog(JSON.parse(e.data)));
  $("#log-filter").addEventListener("input", renderLog);
  setInterval(tickUptimes, 1000);
}
start();
