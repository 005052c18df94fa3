// The campaign catalog on the page (issue 13.1): the campaign picker every section follows (?campaign= through app.js's
// scoped()), and for coordinators the "Kampanye" card: the list, adding (a file or pasted JSON), editing, closing and
// "Buat kampanye lanjutan". Loaded before app.js; its functions run later and use app.js's helpers ($, api, el, say).
"use strict";

const Campaigns = (() => {
  const KEY = "ucjflow-campaign";
  // The calls that are about one campaign: lists, coverage, the campaign, late villages, exports, access links, uploads,
  // the template. A batch's own calls use the batch's campaign and are left as they are.
  const SCOPED = /^\/api\/(batches|coverage|campaign|villages\/late|access|template|exports\/[^/]+|uploads\/[^/]+|(villages|districts)\/[^/]+\/access)$/;
  let chosen = localStorage.getItem(KEY) || "";
  let list = [];
  let editing = null; // id of the campaign being edited, null for a new one
  let closing = null;
  let me = null;

  /** The path with &campaign= (or ?campaign=) of the picked campaign when it is one of the campaign-scoped calls. */
  function scope(path) {
    if (!chosen || !SCOPED.test(path.split("?")[0]) || /[?&]campaign=/.test(path)) return path;
    return path + (path.includes("?") ? "&" : "?") + "campaign=" + encodeURIComponent(chosen);
  }

  function day(iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString("id-ID", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
  }

  // Fills the picker from GET /api/campaigns (coordinators and village PICs); shown when there is more than one.
  async function picker(who) {
    me = who;
    const select = $("campaign-picker");
    list = [];
    if (!me || (me.role !== "Coordinator" && me.role !== "Village")) { select.hidden = true; return; }
    list = (await api("/api/campaigns")).campaigns;
    if (!list.some((c) => c.id === chosen)) {
      chosen = "";
      localStorage.removeItem(KEY);
    }
    select.replaceChildren(el("option", "Kampanye berjalan (otomatis)", { value: "" }),
      ...list.map((c) => el("option", c.name + (c.closed ? " (ditutup)" : ""), { value: c.id })));
    select.value = chosen;
    select.hidden = list.length < 2;
  }

  function pick(id) {
    chosen = id || "";
    if (chosen) localStorage.setItem(KEY, chosen); else localStorage.removeItem(KEY);
    $("campaign-picker").value = chosen;
  }

  // The "Kampanye" card: coordinators only; the changing buttons for those not scoped to a kecamatan.
  function show() {
    const card = $("campaigns-card");
    card.hidden = !me || me.role !== "Coordinator";
    if (card.hidden) return;
    const mayChange = !me.districtCode;
    $("campaign-new").hidden = !mayChange;
    const body = $("campaigns").querySelector("tbody");
    body.replaceChildren(...list.map((c) => {
      const tr = el("tr", null, { "data-campaign": c.id });
      const actions = el("td");
      if (mayChange) {
        actions.append(button("Ubah", "campaign-edit", () => edit(c.id)));
        actions.append(button("Buat kampanye lanjutan", "campaign-renew", () => renew(c)));
        if (!c.closed) actions.append(button("Tutup", "campaign-close", () => askClose(c), "danger"));
      }
      tr.append(el("td", c.name + " (" + c.id + ")"), el("td", c.regencyName + " (" + c.regencyCode + ")"), el("td", c.funderName),
        el("td", day(c.coverageStart) + " – " + day(c.coverageEnd)), el("td", day(c.submissionDeadline)),
        el("td", num.format(c.villages)), el("td", c.closed ? "Ditutup" : "Dibuka", { "data-state": c.closed ? "closed" : "open" }), actions);
      return tr;
    }));
  }

  function button(text, testId, onClick, cls) {
    const b = el("button", text, Object.assign({ "data-testid": testId, type: "button" }, cls ? { class: cls } : {}));
    b.addEventListener("click", () => Promise.resolve().then(onClick).catch((e) => say(e.message, true)));
    return b;
  }

  function openForm(title, json, id) {
    editing = id;
    $("campaign-form-title").textContent = title;
    $("campaign-json").value = json;
    $("campaign-problems").replaceChildren();
    $("campaign-form").hidden = false;
    $("campaign-json").focus();
  }

  async function edit(id) {
    const stored = await api("/api/campaigns/" + encodeURIComponent(id));
    openForm("Ubah kampanye " + stored.campaign.name, stored.document, id);
  }

  // "Buat kampanye lanjutan": the chosen campaign's document with renewsFrom set, a new id and name, coverage from the day
  // after its coverage ends and the deadline moved by as many months; the coordinator edits it before saving.
  async function renew(c) {
    const stored = await api("/api/campaigns/" + encodeURIComponent(c.id));
    const doc = JSON.parse(stored.document);
    const start = nextDay(c.coverageEnd);
    const months = c.monthsFunded;
    const year = start.slice(0, 4);
    const ids = new Set(list.map((x) => x.id));
    let id = /\d{4}/.test(c.id) ? c.id.replace(/\d{4}/, year) : c.id + "-" + year;
    if (id === c.id || ids.has(id)) id = c.id + "-lanjutan";
    doc.renewsFrom = c.id;
    doc.id = id;
    doc.name = /\d{4}/.test(c.name) && !c.name.includes(year) ? c.name.replace(/\d{4}/, year) : c.name + " (lanjutan)";
    doc.coverageStart = start;
    doc.submissionDeadline = addMonths(c.submissionDeadline, months);
    openForm("Kampanye lanjutan dari " + c.name, JSON.stringify(doc, null, 2), null);
  }

  function nextDay(iso) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  // Calendar months, the day kept or clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
  function addMonths(iso, months) {
    const [y, m, d] = iso.split("-").map(Number);
    const first = new Date(Date.UTC(y, m - 1 + months, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    first.setUTCDate(Math.min(d, last));
    return first.toISOString().slice(0, 10);
  }

  async function save() {
    const json = $("campaign-json").value;
    const problems = $("campaign-problems");
    problems.replaceChildren();
    const path = "/api/campaigns" + (editing ? "/" + encodeURIComponent(editing) : "");
    let response, body;
    try {
      response = await fetch(path, { method: editing ? "PUT" : "POST", headers: authHeaders({ "Content-Type": "application/json" }), body: json });
      body = await response.json().catch(() => ({}));
    } catch (e) {
      throw networkError();
    }
    if (!response.ok) {
      say(body.error || "Kampanye tidak dapat disimpan (" + response.status + ").", true);
      problems.replaceChildren(...(body.problems || []).map((p) => el("li", p)));
      return;
    }
    say((editing ? "Kampanye disimpan: " : "Kampanye ditambahkan: ") + body.name + ".");
    $("campaign-form").hidden = true;
    await refresh();
  }

  function askClose(c) {
    closing = c.id;
    $("campaign-close-text").textContent = "Tutup kampanye " + c.name + "? Desa/kelurahan tidak dapat mengunggah lagi ke kampanye ini; batch dan peserta yang sudah terdaftar tetap.";
    $("campaign-close-box").hidden = false;
    return Promise.resolve();
  }

  async function confirmClose() {
    const c = await api("/api/campaigns/" + encodeURIComponent(closing) + "/close", { method: "POST" });
    $("campaign-close-box").hidden = true;
    say("Kampanye " + c.name + " ditutup.");
    await refresh();
  }

  async function refresh() {
    await picker(me);
    show();
  }

  function wire() {
    $("campaign-picker").addEventListener("change", () => { pick($("campaign-picker").value); route(); });
    $("campaign-new").addEventListener("click", () => openForm("Kampanye baru", "", null));
    $("campaign-file").addEventListener("change", async () => {
      const file = $("campaign-file").files[0];
      if (file) $("campaign-json").value = await file.text();
    });
    $("campaign-save").addEventListener("click", () => save().catch((e) => say(e.message, true)));
    $("campaign-cancel").addEventListener("click", () => { $("campaign-form").hidden = true; });
    $("campaign-confirm-close").addEventListener("click", () => confirmClose().catch((e) => say(e.message, true)));
    $("campaign-cancel-close").addEventListener("click", () => { $("campaign-close-box").hidden = true; });
  }

  return { scope, picker, show, pick, wire };
})();
