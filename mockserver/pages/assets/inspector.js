/* The inspector: the request journal live (filtered, an entry opened), the sandbox clock, fault
   rules, webhook deliveries (when the sandbox has them), credentials and reset, all read and
   changed through the control API. Entries are shown with whatever fields they carry. */
"use strict";

(() => {
  const API = document.getElementById("inspector").dataset.api;
  const POLL_MS = 1000;
  const JOURNAL_LIMIT = 500;
  const {el, json, pretty} = Sandbox;
  const $ = (id) => document.getElementById(id);
  const state = {entries: [], drawn: "", selected: null, clock: null, limit: true,
                 deliveries: false, delivery: null};

  function report(message) {
    $("notice").textContent = message || "";
  }

  async function attempt(work) {
    try {
      await work();
      report("");
    } catch (failure) {
      report(failure.message);
    }
  }

  // -- the journal ------------------------------------------------------------------------------
  async function loadJournal() {
    let entries;
    try {
      entries = await json("GET", `${API}/requests` + (state.limit ? `?limit=${JOURNAL_LIMIT}` : ""));
    } catch (failure) {
      if (failure.status !== 400 || !state.limit) throw failure;
      state.limit = false;  // a journal without a `limit` parameter: read it whole
      entries = await json("GET", `${API}/requests`);
    }
    state.entries = Array.isArray(entries) ? entries : (entries.entries || entries.requests || []);
    drawJournal();
  }

  function globRegex(glob) {
    const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`, "i");
  }

  function statusMatcher(text) {
    const wanted = text.split(/[\s,]+/).filter(Boolean).map((part) => part.toLowerCase());
    if (!wanted.length) return () => true;
    return (status) => wanted.some((part) => {
      const digits = String(status);
      return /x/.test(part) ? digits.startsWith(part.replace(/x+$/, "")) : digits === part;
    });
  }

  function filtered() {
    const vendor = $("filter-vendor").value;
    const status = statusMatcher($("filter-status").value.trim());
    const pathText = $("filter-path").value.trim();
    const path = !pathText ? () => true
      : /[*?]/.test(pathText) ? ((p) => globRegex(pathText).test(p))
      : ((p) => p.toLowerCase().includes(pathText.toLowerCase()));
    return state.entries.filter((e) => (!vendor || e.vendor === vendor) && status(e.status)
                                       && path(e.path || ""));
  }

  function statusClass(status) {
    return status >= 500 ? "s5" : status >= 400 ? "s4" : status >= 300 ? "s3" : "s2";
  }

  function drawJournal() {
    const shown = filtered().reverse();  // newest first
    const drawn = shown.map((e) => e.id ?? e.seq).join(",") + `|${state.selected ?? ""}`;
    $("journal-count").textContent = `${shown.length} of ${state.entries.length}`;
    $("journal-empty").hidden = shown.length > 0;
    if (drawn === state.drawn) return;
    state.drawn = drawn;
    $("entries").replaceChildren(...shown.map((entry) => el("tr", {
      class: [statusClass(entry.status), entry.id === state.selected ? "selected" : ""].join(" "),
      dataset: {id: entry.id ?? "", status: entry.status ?? ""},
      onclick: () => openEntry(entry),
    },
      el("td", {title: entry.time}, String(entry.time || "").replace(/^.*T/, "").replace("Z", "")),
      el("td", {}, entry.method),
      el("td", {class: "path"}, entry.path, entry.query ? el("span", {class: "muted"}, `?${entry.query}`) : null),
      el("td", {}, entry.vendor),
      el("td", {class: "status"}, entry.status, entry.fault ? el("span", {class: "tag"}, "fault") : null),
      el("td", {class: "num"}, entry.duration_ms),
      el("td", {}, el("code", {}, entry.id)),
    )));
  }

  function showFields(title, record, delivery = null) {
    state.delivery = delivery;  // the delivery shown, which "Redeliver" sends again
    $("detail-redeliver").hidden = delivery === null;
    $("detail-title").textContent = title;
    $("detail-fields").replaceChildren(...Object.entries(record).flatMap(([name, value]) => [
      el("dt", {}, name),
      el("dd", {dataset: {field: name}},
         value !== null && (typeof value === "object" || /^\s*[[{]/.test(String(value)))
           ? el("pre", {}, pretty(value)) : pretty(value)),
    ]));
    $("detail").hidden = false;
  }

  function openEntry(entry) {
    state.selected = entry.id;
    showFields(`${entry.method} ${entry.path}`, entry);
    drawJournal();
  }

  function closeEntry() {
    state.selected = null;
    state.delivery = null;
    $("detail").hidden = true;
    drawJournal();
  }

  // -- the clock ----------------------------------------------------------------------------------
  function drawClock(clock) {
    state.clock = clock;
    $("clock-now").textContent = clock.now;
    $("clock-now").dataset.now = clock.now;
    $("clock-state").textContent = clock.frozen ? "frozen: time stands still" : "running";
    $("clock-freeze").textContent = clock.frozen ? "Unfreeze" : "Freeze";
  }

  async function loadClock() {
    drawClock(await json("GET", `${API}/clock`));
  }

  // -- faults ------------------------------------------------------------------------------------
  async function loadFaults() {
    const rules = await json("GET", `${API}/faults`);
    $("faults-empty").hidden = rules.length > 0;
    $("fault-rules").replaceChildren(...rules.map((rule) => el("tr", {dataset: {id: rule.id}},
      el("td", {}, rule.id),
      el("td", {}, rule.vendor || "any"),
      el("td", {}, rule.method || "any"),
      el("td", {}, el("code", {}, rule.path)),
      el("td", {}, [rule.kind === "status" ? rule.status : rule.kind, rule.latency_ms != null ? `+${rule.latency_ms} ms` : null]
        .filter((part) => part != null).join(" ")),
      el("td", {}, rule.times ? `${rule.hits} / ${rule.times}` : `${rule.hits}`),
    )));
  }

  async function addFault(event) {
    event.preventDefault();
    const body = {};
    for (const [name, value] of new FormData(event.target).entries()) {
      if (value === "") continue;
      body[name] = ["status", "latency_ms", "times"].includes(name) ? Number(value) : value;
    }
    try {
      await json("POST", `${API}/faults`, body);
      $("fault-error").textContent = "";
      event.target.reset();
    } catch (failure) {
      $("fault-error").textContent = failure.message;
    }
    await loadFaults();
  }

  // -- webhook deliveries (shown only where the sandbox answers for them) -------------------------
  async function probeDeliveries() {
    const response = await Sandbox.call("GET", `${API}/webhooks/deliveries`);
    state.deliveries = response.status === 200;
    $("webhooks").hidden = !state.deliveries;
    if (state.deliveries) drawDeliveries(await response.json());
  }

  async function loadDeliveries() {
    if (state.deliveries) drawDeliveries(await json("GET", `${API}/webhooks/deliveries`));
  }

  function drawDeliveries(answer) {
    const list = Array.isArray(answer) ? answer : (answer.deliveries || answer.data || []);
    $("deliveries-empty").hidden = list.length > 0;
    $("deliveries").replaceChildren(...list.slice().reverse().map((delivery) => {
      const attempts = delivery.attempts || [];
      const last = attempts.length ? attempts[attempts.length - 1] : {};
      return el("tr", {dataset: {id: delivery.id ?? ""},
                       onclick: () => openDelivery(delivery)},
        el("td", {}, delivery.event),
        el("td", {class: "path"}, delivery.target),
        el("td", {class: "state"}, delivery.state ?? ""),
        el("td", {class: "num"}, attempts.length),
        el("td", {}, last.status ?? (last.error ? "error" : "")));
    }));
  }

  function openDelivery(delivery) {
    state.selected = null;
    drawJournal();
    showFields(`Delivery ${delivery.id ?? ""}`, delivery, delivery.id ?? null);
  }

  async function redeliver() {
    const id = state.delivery;
    if (id === null) return;
    openDelivery(await json("POST", `${API}/webhooks/deliveries/${encodeURIComponent(id)}/redeliver`));
    await loadDeliveries();
  }

  // -- credentials, health, reset -----------------------------------------------------------------
  async function loadCredentials() {
    $("credentials-json").textContent = pretty(await json("GET", `${API}/credentials`));
  }

  async function loadHealth() {
    const health = await json("GET", `${API}/health`);
    $("health").textContent = `${health.vendors.join(", ")} · seed ${health.seed} · ${health.store} store`;
  }

  async function reset() {
    const answer = await json("POST", `${API}/reset`);
    $("reset-result").textContent = `Reset in ${answer.took_ms} ms (seed ${answer.seed}).`;
    closeEntry();
    await Promise.all([loadJournal(), loadClock(), loadFaults(), loadCredentials(), loadDeliveries()]);
  }

  // -- wiring ---------------------------------------------------------------------------------------
  async function poll() {
    if ($("live").checked && document.visibilityState === "visible") {
      await attempt(() => Promise.all([loadJournal(), loadClock(), loadFaults(), loadDeliveries()]));
    }
    setTimeout(poll, POLL_MS);
  }

  function wire() {
    for (const id of ["filter-vendor", "filter-status", "filter-path"]) {
      $(id).addEventListener("input", drawJournal);
    }
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    $("detail-close").addEventListener("click", closeEntry);
    $("journal-clear").addEventListener("click", () => attempt(async () => {
      await json("DELETE", `${API}/requests`);
      closeEntry();
      await loadJournal();
    }));
    for (const button of document.querySelectorAll("[data-advance]")) {
      button.addEventListener("click", () => attempt(async () =>
        drawClock(await json("POST", `${API}/clock`, {advance: Number(button.dataset.advance)}))));
    }
    $("clock-freeze").addEventListener("click", () => attempt(async () =>
      drawClock(await json("POST", `${API}/clock`, {frozen: !(state.clock && state.clock.frozen)}))));
    $("fault-form").addEventListener("submit", addFault);
    $("faults-clear").addEventListener("click", () => attempt(async () => {
      await json("DELETE", `${API}/faults`);
      await loadFaults();
    }));
    $("reset").addEventListener("click", () => attempt(reset));
    $("detail-redeliver").addEventListener("click", () => attempt(redeliver));
    $("deliveries-clear").addEventListener("click", () => attempt(async () => {
      await json("DELETE", `${API}/webhooks/deliveries`);
      if (state.delivery !== null) closeEntry();
      await loadDeliveries();
    }));
  }

  wire();
  attempt(async () => {
    await loadHealth();  // asks for the control token first, where one is needed
    await Promise.all([loadClock(), loadFaults(), loadCredentials(), probeDeliveries(), loadJournal()]);
  }).then(() => setTimeout(poll, POLL_MS));
})();
