// UcjFlow web page: villages upload rosters, coordinators decide, everyone follows coverage.
// No framework: one page, routed on location.pathname, talking to the JSON API.
"use strict";

const $ = (id) => document.getElementById(id);
const num = new Intl.NumberFormat("id-ID");
const pct = new Intl.NumberFormat("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const STATUS = {
  Validating: "Sedang diperiksa",
  AwaitingApproval: "Menunggu persetujuan",
  Approved: "Disetujui",
  Rejected: "Ditolak",
  Superseded: "Digantikan",
  Unreadable: "Tidak terbaca",
  Expired: "Kedaluwarsa",
  Revoked: "Dicabut",
};
// A mailed link carries its signed token in ?token=. Keep it for this page only, out of the address bar (screenshots,
// forwarded URLs), and send it as a header: query strings end up in request logs and telemetry.
const linkToken = (() => {
  const key = "ucjflow-link:" + location.pathname;
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) {
    sessionStorage.setItem(key, fromUrl);
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem(key);
})();
let token = localStorage.getItem("ucjflow-token") || "";
let pollTimer = null;

function say(text, isError) {
  const m = $("message");
  m.textContent = text || "";
  m.className = isError ? "error" : "";
}

function authHeaders(extra) {
  const headers = Object.assign({}, extra || {});
  if (token) headers.Authorization = "Bearer " + token;
  else if (linkToken) headers["X-Link-Token"] = linkToken;
  return headers;
}

// What a user reads when the network, not the server, failed (never the browser's "Failed to fetch").
function networkError() {
  return new Error(navigator.onLine
    ? "Koneksi ke server terputus. Periksa sinyal internet, lalu coba lagi."
    : "Tidak ada koneksi internet. Coba lagi setelah perangkat online.");
}

// The hook of campaigns.js: a campaign-scoped call gets the picked campaign's ?campaign=.
function scoped(path) {
  return typeof Campaigns === "undefined" ? path : Campaigns.scope(path);
}

async function api(path, options = {}) {
  const headers = authHeaders(options.headers);
  let response, body;
  try {
    response = await fetch(scoped(path), Object.assign({}, options, { headers }));
    const type = response.headers.get("content-type") || "";
    body = type.includes("json") ? await response.json() : await response.text();
  } catch (e) {
    throw e instanceof TypeError ? networkError() : e;
  }
  if (!response.ok) throw new Error((body && body.error) || "Permintaan gagal (" + response.status + ")");
  return body;
}

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  return e;
}

// On a phone a table.cards shows each row as a card; each cell is labelled with its column's header (app.css).
function labelCells(table) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
  table.querySelectorAll("tbody tr").forEach((tr) => [...tr.children].forEach((td, i) => {
    if (!td.hasAttribute("colspan") && heads[i] && td.dataset.label !== heads[i]) td.dataset.label = heads[i];
  }));
}
new MutationObserver(() => document.querySelectorAll("table.cards").forEach(labelCells))
  .observe(document.querySelector("main"), { childList: true, subtree: true });

function facts(dl, pairs) {
  dl.replaceChildren();
  pairs.forEach(([k, v]) => { dl.append(el("dt", k), el("dd", v)); });
}

function when(iso) {
  return new Date(iso).toLocaleString("id-ID", { timeZone: "Asia/Jakarta", dateStyle: "medium", timeStyle: "short" });
}

async function showWho() {
  const batch = location.pathname.startsWith("/batches/") ? decodeURIComponent(location.pathname.split("/")[2]) : "";
  if (!token && !linkToken) { $("who").textContent = "Belum ada token."; return null; }
  try {
    const me = await api("/api/me" + (batch ? "?batch=" + encodeURIComponent(batch) : ""));
    window.currentRole = me.role;
    $("who").textContent = me.role === "Coordinator" ? "Masuk sebagai koordinator (" + me.name + ")"
      : me.role === "Village" ? "Masuk sebagai operator " + (me.villageName || me.villageCode)
      : me.role === "ApprovalLink" ? "Tautan persetujuan untuk batch " + me.batchId + " (" + me.name + ")"
      : "Tautan batch " + me.batchId;
    return me;
  } catch (e) {
    $("who").textContent = e.message;
    return null;
  }
}

// ---------- home: upload + batch list ----------

async function showHome(me, preselect) {
  $("view-home").hidden = false;
  $("upload-card").hidden = !me || me.role === "ApprovalLink" || me.role === "BatchLink";
  if ($("upload-card").hidden) return;
  if (typeof Campaigns !== "undefined") Campaigns.show(); // campaigns.js: the "Kampanye" card for coordinators
  const campaign = await api("/api/campaign");
  $("campaign-name").textContent = campaign.name;
  const select = $("village");
  select.replaceChildren(...campaign.villages.map((v) =>
    el("option", v.code + " — " + v.kind + " " + v.name + " (" + v.districtName + ")", { value: v.code })));
  if (preselect) select.value = preselect;
  await loadBatches();
  await showAccess(me, campaign); // access.js: coordinators issue villages' access links
  await WhatsAppMessages.showLate(me);
}

async function loadBatches() {
  if (typeof workbench !== "undefined") return workbench.loadBatches();
  const status = $("status-filter").value;
  const list = await api("/api/batches" + (status ? "?status=" + status : ""));
  const body = $("batches").querySelector("tbody");
  body.replaceChildren(...list.batches.map((b) => {
    const tr = el("tr", null, { "data-batch": b.batchId });
    const link = el("a", (b.villageName || "") + " " + b.villageCode, { href: "/batches/" + encodeURIComponent(b.batchId) });
    const first = el("td"); first.append(link);
    tr.append(first, el("td", b.fileName), el("td", STATUS[b.status] || b.status, { "data-status": b.status }),
      el("td", num.format(b.counts.valid)), el("td", num.format(b.counts.rejected)), el("td", when(b.createdAt)));
    return tr;
  }));
  showMailProblems(list.mailProblems || []);
  if (list.batches.length === 0) {
    const tr = el("tr");
    tr.append(el("td", "Belum ada batch.", { colspan: "6" }));
    body.append(tr);
  }
}

// Mail the server has not taken yet (coordinators only): why, to whom, and when it is tried again.
function showMailProblems(problems) {
  const box = $("mail-problems");
  box.hidden = problems.length === 0;
  box.querySelector("ul").replaceChildren(...problems.map((p) => el("li",
    (p.channel === "text" ? "Pesan WhatsApp/SMS " : "") + "\u201c" + p.subject + "\u201d untuk " + p.recipients.join(", ") + ": " + p.reason
    + " (percobaan ke-" + p.attempts + ", dicoba lagi " + when(p.nextAttemptAt) + ")")));
}

// ---------- one batch ----------

async function showBatch(me, batchId) {
  $("view-batch").hidden = false;
  $("batch-id").textContent = batchId;
  let b;
  try { b = await api("/api/batches/" + encodeURIComponent(batchId)); }
  catch (e) { say(e.message, true); return; }
  $("batch-status").textContent = STATUS[b.status] + (b.decisionPending ? " (keputusan sedang diproses)" : "");
  $("batch-status").dataset.status = b.status;
  const pairs = [
    ["Desa/kelurahan", (b.villageName || "") + " (" + b.villageCode + ")"],
    ["Berkas", b.fileName],
    ["Diunggah", when(b.createdAt)],
    ["Jumlah baris", num.format(b.counts.rows)],
    ["Baris sah", num.format(b.counts.valid)],
    ["Baris ditolak", num.format(b.counts.rejected)],
    ["Sah dengan peringatan", num.format(b.counts.validWithWarnings)],
  ];
  if (b.supersededBy) pairs.push(["Digantikan oleh", b.supersededBy]);
  if (b.decision) {
    pairs.push(["Keputusan", (b.decision.kind === "Approve" ? "Disetujui" : "Ditolak") + " oleh " + b.decision.decidedBy + ", " + when(b.decision.decidedAt)]);
    if (b.decision.reason) pairs.push(["Alasan", b.decision.reason]);
    if (b.decision.kind === "Approve") pairs.push(["Terdaftar", num.format(b.decision.enrolled)]);
  }
  facts($("batch-facts"), pairs);
  WhatsAppMessages.showBatch(me, b).catch((e) => say(e.message, true));

  const reports = $("batch-reports");
  reports.replaceChildren();
  if (b.reports) {
    reports.append("Laporan pemeriksaan: ");
    [["HTML", b.reports.html], ["CSV", b.reports.csv], ["JSON", b.reports.json]].forEach(([label, url]) => {
      const a = el("a", label, { href: "#", "data-testid": "report-" + label.toLowerCase() });
      a.addEventListener("click", (e) => { e.preventDefault(); openReport(url); });
      reports.append(a, " ");
    });
  }

  await window.showAnswer(batchId, b); // answer.js: what validation found, for the village (no raw rule code on the page)
  if (typeof workbench !== "undefined") await workbench.showBatch(me, b); // workbench.js: cost, breakdown, people, exports

  const canDecide = me && (me.role === "Coordinator" || me.role === "ApprovalLink");
  $("decide").hidden = !(canDecide && b.status === "AwaitingApproval" && !b.decisionPending);
  if (typeof revokeOnBatch === "function") await revokeOnBatch(me, b); // revoke.js: approve confirmation, revoke, audit
  if (b.status === "Validating" || b.decisionPending) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => showBatch(me, batchId), 1500);
  }
}

async function openReport(url) {
  try {
    const response = await fetch(url, { headers: authHeaders() }).catch(() => { throw networkError(); });
    if (!response.ok) throw new Error("Laporan belum tersedia.");
    window.open(URL.createObjectURL(await response.blob()), "_blank");
  } catch (e) {
    say(e.message, true);
  }
}

async function decide(me, batchId, approve, reason) {
  try {
    await api("/api/batches/" + encodeURIComponent(batchId) + "/decision", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ approve, reason }),
    });
    say(approve ? "Persetujuan dikirim." : "Penolakan dikirim.");
    $("reject-box").hidden = true;
    await showBatch(me, batchId);
  } catch (e) {
    say(e.message, true);
  }
}

// ---------- coverage ----------

async function showCoverage() {
  $("view-coverage").hidden = false;
  const s = await api("/api/coverage" + coverageQuery()); // coverage.js: the date picker
  facts($("coverage-facts"), [
    ["Per tanggal", s.asOf],
    ["Angkatan kerja", num.format(s.workforce)],
    ["Sudah terlindungi sebelumnya", num.format(s.baselineCovered)],
    ["Disetujui", num.format(s.approved)],
    ["Disetujui, mulai terlindungi kemudian", num.format(s.approvedStartingLater)],
    ["Menunggu persetujuan", num.format(s.pending)],
    ["Terlindungi", num.format(s.covered)],
    ["Cakupan", pct.format(s.coveragePercent) + "% (target " + pct.format(s.targetPercent) + "%)"],
    ["Kekurangan dari target", num.format(s.gapToTarget) + " orang"],
    ["Anggaran terikat", "Rp " + num.format(s.budgetCommitted)],
    ["Desa/kelurahan belum mengirim", num.format(s.villagesMissing.length)],
  ]);
  renderCoverage(s); // coverage.js
}

// ---------- routing ----------

async function route() {
  clearTimeout(pollTimer);
  ["view-home", "view-batch", "view-coverage"].forEach((id) => { $(id).hidden = true; });
  const me = await showWho();
  if (typeof Campaigns !== "undefined") await Campaigns.picker(me).catch((e) => say(e.message, true));
  const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "batches" && parts[1]) await showBatch(me, parts[1]);
    else if (parts[0] === "coverage") await showCoverage();
    else await showHome(me, parts[0] === "upload" ? parts[1] : null);
  } catch (e) {
    say(e.message, true);
  }
}

$("token").value = token;
$("save-token").addEventListener("click", async () => {
  token = $("token").value.trim();
  localStorage.setItem("ucjflow-token", token);
  say(token ? "Token disimpan." : "Token dihapus.");
  await route();
});
$("status-filter").addEventListener("change", () => {
  if (typeof workbench !== "undefined") workbench.resetPage();
  loadBatches().catch((e) => say(e.message, true));
});
if (typeof workbench !== "undefined") workbench.wire();
if (typeof Campaigns !== "undefined") Campaigns.wire();
$("reject").addEventListener("click", () => { $("reject-box").hidden = false; $("reason").focus(); });
$("confirm-reject").addEventListener("click", async () => {
  const reason = $("reason").value.trim();
  if (!reason) { say("Alasan penolakan wajib diisi.", true); return; }
  await decide(await showWho(), decodeURIComponent(location.pathname.split("/")[2]), false, reason);
});
window.addEventListener("popstate", route);
// After every script of the page has run (answer.js, revoke.js... hook into the views route() draws).
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => route());
else route();
