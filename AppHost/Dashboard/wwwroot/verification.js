// DevEnv dashboard: the rollout verification card. Draws what the verify-rollout command returns
// (RolloutVerification.ToJson on the server): a per-second chart of requests, failures and p99 latency with
// the rollout window shaded, and the phase table. Loaded before app.js, which calls COMMAND_VIEWS.
(() => {
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

// A round axis maximum (1, 2 or 5 times a power of ten) at or above the largest value.
function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value);
}

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

function verificationChart(data) {
  const timeline = data.overall.timeline || [];
  const W = 560, H = 210, left = 44, right = 52, top = 14, bottom = 26;
  const plotW = W - left - right, plotH = H - top - bottom;
  const seconds = Math.max(1, timeline.length ? timeline[timeline.length - 1].second + 1 : 1);
  const barW = plotW / seconds;
  const maxSent = niceMax(Math.max(0, ...timeline.map((t) => t.sent)));
  const maxP99 = niceMax(Math.max(0, ...timeline.map((t) => t.p99Ms)));
  const x = (second) => left + second * barW;
  const ySent = (n) => top + plotH - (n / maxSent) * plotH;
  const yP99 = (v) => top + plotH - (v / maxP99) * plotH;

  const band = svg("g", { class: "rollout-window" },
    svg("rect", { x: x(data.rolloutStartedSeconds), y: top, width: Math.max(1, (data.rolloutEndedSeconds - data.rolloutStartedSeconds) * barW), height: plotH }),
    svg("text", { x: x(data.rolloutStartedSeconds) + 4, y: top + 11 }, "rollout"));
  const bars = timeline.map((t) => svg("g", { class: "second", "data-second": t.second },
    svg("title", {}, `${t.second} s: ${t.ok} ok, ${t.failed} failed, p99 ${ms(t.p99Ms)}`),
    svg("rect", { class: "ok", x: x(t.second) + barW * 0.1, width: barW * 0.8, y: ySent(t.ok), height: (t.ok / maxSent) * plotH }),
    t.failed ? svg("rect", { class: "failed", x: x(t.second) + barW * 0.1, width: barW * 0.8, y: ySent(t.ok + t.failed), height: (t.failed / maxSent) * plotH }) : null));
  const withLatency = timeline.filter((t) => t.ok > 0);
  const line = svg("polyline", { class: "p99", points: withLatency.map((t) => `${(x(t.second) + barW / 2).toFixed(1)},${yP99(t.p99Ms).toFixed(1)}`).join(" ") });
  const step = [1, 2, 5, 10, 15, 30, 60, 120].find((s) => seconds / s <= 8) || 300;
  const ticks = [];
  for (let s = 0; s <= seconds; s += step) ticks.push(svg("text", { class: "tick", x: x(s), y: H - 8, "text-anchor": "middle" }, `${s}s`));
  const axes = svg("g", { class: "axes" },
    svg("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH }),
    svg("text", { class: "tick", x: left - 6, y: top + 4, "text-anchor": "end" }, String(maxSent)),
    svg("text", { class: "tick", x: left - 6, y: top + plotH, "text-anchor": "end" }, "0"),
    svg("text", { class: "tick axis-ok", x: left - 6, y: top + plotH / 2, "text-anchor": "end" }, "req/s"),
    svg("text", { class: "tick", x: left + plotW + 6, y: top + 4 }, ms(maxP99)),
    svg("text", { class: "tick axis-p99", x: left + plotW + 6, y: top + plotH / 2 }, "p99"),
    ticks);
  return svg("svg", { class: "verification-chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "requests, failures and p99 latency per second" },
    band, bars, line, axes);
}

function phaseTable(data) {
  const phases = [["steady state", data.steadyState], ["during rollout", data.rollout], ["after rollout", data.settle], ["overall", data.overall]];
  return el("table", { class: "json-table phases" },
    el("thead", {}, el("tr", {}, ["phase", "requests", "failed", "avg", "p50", "p99", "max"].map((c) => el("th", {}, c)))),
    el("tbody", {}, phases.map(([name, r]) => el("tr", { "data-phase": name },
      el("td", {}, name), el("td", {}, String(r.requests)), el("td", { class: r.failed ? "bad" : "" }, String(r.failed)),
      [r.latency.avgMs, r.latency.p50Ms, r.latency.p99Ms, r.latency.maxMs].map((v) => el("td", {}, ms(v)))))));
}

function failureKinds(data) {
  const kinds = Object.entries(data.overall.failures || {}).filter(([, n]) => n > 0);
  return kinds.length ? el("p", { class: "failure-kinds" }, "failures: " + kinds.map(([k, n]) => `${n} ${k}`).join(", ")) : null;
}

function verificationView(resource, data) {
  const o = data.overall;
  const headline = data.rolloutError ? `The rollout failed: ${data.rolloutError}`
    : data.passed ? `${o.failed} of ${o.requests} requests failed` : `${o.failed} of ${o.requests} requests failed during the rollout`;
  return el("div", { "data-verification": resource, "data-passed": String(data.passed) },
    el("h3", {}, resource, " ", el("span", { class: "badge " + (data.passed ? "s-Running" : "s-Failed") }, data.passed ? "passed" : "failed")),
    el("p", { class: "verification-headline" }, headline,
      el("span", { class: "muted" }, ` · ${o.ratePerSecond} req/s for ${o.durationSeconds.toFixed(0)} s, rollout took ${(data.rolloutEndedSeconds - data.rolloutStartedSeconds).toFixed(1)} s`)),
    verificationChart(data),
    el("div", { class: "legend muted" }, el("span", { class: "key ok" }), "ok ", el("span", { class: "key failed" }), "failed ", el("span", { class: "key p99" }), "p99 latency ", el("span", { class: "key window" }), "rollout"),
    phaseTable(data),
    failureKinds(data));
}

// Views for commands that return figures, by command name (app.js looks them up).
window.COMMAND_VIEWS = {
  "verify-rollout": {
    started(resource) {
      document.querySelector("#verification-summary").textContent = `running since ${new Date().toLocaleTimeString([], { hour12: false })}`;
      document.querySelector("#verification").replaceChildren(el("p", { class: "empty running" },
        `Verifying ${resource}: constant load before, during and after a restart of its rollout…`));
    },
    done(resource, data) {
      document.querySelector("#verification-summary").textContent = `finished ${new Date().toLocaleTimeString([], { hour12: false })}`;
      document.querySelector("#verification").replaceChildren(verificationView(resource, data));
    },
    failed(resource, message) {
      document.querySelector("#verification-summary").textContent = "";
      document.querySelector("#verification").replaceChildren(el("pre", { class: "build-error" }, `${resource}: ${message}`));
    },
  },
};
})();
