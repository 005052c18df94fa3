// Coordinators' workbench (issue 10.3): the batch list searched, sorted and paged on the server, bulk approval of clean
// batches, the BPJS export downloads, and on the batch page the problems, the people (NIK masked), breakdown and cost.
// Loaded before app.js; uses its helpers (api, el, num, when, say, authHeaders, STATUS) only when called.
"use strict";

const workbench = (() => {
  const state = { page: 1, size: 25, total: 0, selected: new Set(), peoplePage: 1, peopleFor: "" };
  const rupiah = (n) => "Rp " + num.format(n);
  const SEX = { Male: "L", Female: "P" };
  let searchTimer = null;

  function listQuery() {
    const p = new URLSearchParams();
    const status = $("status-filter").value;
    if (status) p.set("status", status);
    const q = $("batch-search").value.trim();
    if (q) p.set("q", q);
    const [sort, dir] = $("batch-sort").value.split(":");
    p.set("sort", sort);
    p.set("dir", dir);
    p.set("page", state.page);
    p.set("size", state.size);
    return p.toString();
  }

  // The list: one server page at a time; a checkbox on each clean batch awaiting approval (coordinators).
  async function loadBatches() {
    const me = window.currentRole || "";
    const list = await api("/api/batches?" + listQuery());
    state.total = list.total;
    const coordinator = me === "Coordinator";
    const table = $("batches");
    const headRow = table.querySelector("thead tr");
    if (!headRow.querySelector("[data-workbench]")) {
      const th = el("th", null, { "data-workbench": "select" });
      headRow.prepend(th);
      const kec = el("th", "Kecamatan", { "data-workbench": "district" });
      headRow.children[1].after(kec);
    }
    headRow.querySelector("[data-workbench=select]").hidden = !coordinator;
    const body = table.querySelector("tbody");
    body.replaceChildren(...list.batches.map((b) => {
      const tr = el("tr", null, { "data-batch": b.batchId });
      const pick = el("td");
      pick.hidden = !coordinator;
      if (coordinator && b.status === "AwaitingApproval" && b.clean && !b.decisionPending) {
        const box = el("input", null, { type: "checkbox", "data-testid": "select-batch", "aria-label": "Pilih " + (b.villageName || b.villageCode) });
        box.checked = state.selected.has(b.batchId);
        box.addEventListener("change", () => { box.checked ? state.selected.add(b.batchId) : state.selected.delete(b.batchId); showSelection(); });
        pick.append(box);
      }
      const link = el("a", (b.villageName || "") + " " + b.villageCode, { href: "/batches/" + encodeURIComponent(b.batchId) });
      const first = el("td"); first.append(link);
      tr.append(pick, first, el("td", b.districtName || ""), el("td", b.fileName), el("td", STATUS[b.status] || b.status, { "data-status": b.status }),
        el("td", num.format(b.counts.valid)), el("td", num.format(b.counts.rejected)), el("td", when(b.createdAt)));
      return tr;
    }));
    showMailProblems(list.mailProblems || []);
    if (list.batches.length === 0) {
      const tr = el("tr");
      tr.append(el("td", "Belum ada batch.", { colspan: "8" }));
      body.append(tr);
    }
    const pages = Math.max(1, Math.ceil(list.total / list.size));
    $("batch-page").textContent = "Halaman " + list.page + " dari " + pages + " (" + num.format(list.total) + " batch)";
    $("batch-prev").disabled = list.page <= 1;
    $("batch-next").disabled = list.page >= pages;
    $("bulk-box").hidden = !coordinator;
    $("workbench-exports").hidden = !coordinator;
    showSelection();
  }

  function showSelection() {
    $("approve-selected").disabled = state.selected.size === 0;
    $("approve-selected").textContent = "Setujui yang dipilih (" + state.selected.size + ")";
  }

  const OUTCOME = {
    decided: "persetujuan dikirim",
    already_decided: "sudah diputuskan",
    not_clean: "ada baris ditolak atau peringatan, putuskan di halaman batch",
    expired: "kedaluwarsa",
    not_awaiting_approval: "tidak menunggu persetujuan",
    batch_not_found: "tidak ditemukan",
    forbidden: "tidak berhak",
  };

  async function approveSelected() {
    const ids = [...state.selected];
    if (ids.length === 0) return;
    if (!confirm("Setujui " + ids.length + " batch yang dipilih?")) return;
    try {
      const result = await api("/api/decisions", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ batchIds: ids, approve: true }),
      });
      const decided = result.outcomes.filter((o) => o.outcome === "decided").length;
      say(decided + " dari " + ids.length + " batch disetujui.");
      $("bulk-outcomes").replaceChildren(...result.outcomes.map((o) =>
        el("li", o.batchId + ": " + (OUTCOME[o.outcome] || o.message), { "data-outcome": o.outcome })));
      state.selected.clear();
      await loadBatches();
    } catch (e) {
      say(e.message, true);
    }
  }

  // A file behind the token: fetched with the Authorization header, then saved under the server's name.
  async function download(url, fallbackName) {
    try {
      const response = await fetch(scoped(url), { headers: authHeaders() });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new Error((body && body.error) || "Unduhan gagal (" + response.status + ")");
      }
      const disposition = response.headers.get("content-disposition") || "";
      const name = (/filename="?([^";]+)"?/.exec(disposition) || [])[1] || fallbackName;
      const a = el("a", null, { href: URL.createObjectURL(await response.blob()), download: name });
      document.body.append(a);
      a.click();
      a.remove();
      say("Berkas " + name + " diunduh.");
    } catch (e) {
      say(e.message, true);
    }
  }

  function downloadConsolidated(format) {
    const from = $("export-from").value, to = $("export-to").value;
    if (!from || !to) { say("Isi tanggal persetujuan dari dan sampai.", true); return; }
    download("/api/exports/bpjs." + format + "?from=" + from + "&to=" + to, "bpjs." + format);
  }

  // ---------- the batch page ----------

  async function showBatch(me, b) {
    const box = $("workbench-batch");
    box.hidden = b.status === "Validating" || b.status === "Unreadable";
    const exportBox = $("batch-export");
    exportBox.hidden = !(me && me.role === "Coordinator" && b.status === "Approved");
    const key = b.batchId + ":" + b.status + ":" + b.decisionPending;
    if (box.hidden || state.peopleFor === key) return;
    state.peopleFor = key;
    state.peoplePage = 1;
    await Promise.all([showProblems(b), showSummary(b), showPeople(b.batchId)]);
  }

  async function showProblems(b) {
    const list = $("batch-problems").querySelector("ul");
    list.replaceChildren();
    if (!b.reports) return;
    let report;
    try { report = await api(b.reports.json); } catch (e) { list.append(el("li", e.message)); return; }
    const issues = [];
    if (report.fileMessage) issues.push({ message: report.fileMessage, code: report.fileCode, severity: "error" });
    (report.notes || []).forEach((n) => issues.push({ message: n, severity: "note" }));
    (report.issues || []).forEach((i) => issues.push(i));
    const shown = issues.slice(0, 200);
    list.replaceChildren(...shown.map((i) => el("li",
      // The report's message already says "Baris N, kolom X: …"; never a raw rule code: villages read this page too.
      i.message || "",
      { "data-severity": i.severity || "" })));
    if (issues.length === 0) list.append(el("li", "Tidak ada masalah."));
    else if (issues.length > shown.length) list.append(el("li", "… dan " + num.format(issues.length - shown.length) + " lainnya (lihat laporan lengkap)."));
  }

  async function showSummary(b) {
    let s;
    try { s = await api("/reports/batches/" + encodeURIComponent(b.batchId) + "/summary.json"); }
    catch (e) { $("batch-cost").textContent = ""; return; }
    $("batch-cost").textContent = num.format(s.validRows) + " orang × " + rupiah(s.costPerWorker) + " = " + rupiah(s.cost);
    const groups = [["Segmen", s.bySegment], ["Jenis kelamin", s.bySex], ["Umur", s.byAgeBand]];
    $("batch-breakdown").querySelector("tbody").replaceChildren(...groups.flatMap(([title, rows]) =>
      rows.filter((g) => g.count > 0).map((g) => {
        const tr = el("tr");
        tr.append(el("td", title), el("td", g.label), el("td", num.format(g.count)), el("td", rupiah(g.cost)));
        return tr;
      })));
  }

  async function showPeople(batchId) {
    const page = await api("/api/batches/" + encodeURIComponent(batchId) + "/people?page=" + state.peoplePage + "&size=50");
    $("people").querySelector("tbody").replaceChildren(...page.people.map((p) => {
      const tr = el("tr", null, { "data-row": p.row });
      tr.append(el("td", p.row), el("td", p.nik, { "data-testid": "person-nik" }), el("td", p.name), el("td", p.segment), el("td", SEX[p.sex] || p.sex), el("td", p.age));
      return tr;
    }));
    const pages = Math.max(1, Math.ceil(page.total / page.size));
    $("people-page").textContent = "Halaman " + page.page + " dari " + pages + " (" + num.format(page.total) + " orang)";
    $("people-prev").disabled = page.page <= 1;
    $("people-next").disabled = page.page >= pages;
  }

  function currentBatch() { return decodeURIComponent(location.pathname.split("/")[2] || ""); }

  function wire() {
    const reload = () => loadBatches().catch((e) => say(e.message, true));
    $("batch-search").addEventListener("input", () => { clearTimeout(searchTimer); state.page = 1; searchTimer = setTimeout(reload, 250); });
    $("batch-sort").addEventListener("change", () => { state.page = 1; reload(); });
    $("batch-prev").addEventListener("click", () => { state.page = Math.max(1, state.page - 1); reload(); });
    $("batch-next").addEventListener("click", () => { state.page += 1; reload(); });
    $("approve-selected").addEventListener("click", approveSelected);
    $("export-xlsx").addEventListener("click", () => downloadConsolidated("xlsx"));
    $("export-csv").addEventListener("click", () => downloadConsolidated("csv"));
    $("batch-export-xlsx").addEventListener("click", () => download("/api/batches/" + encodeURIComponent(currentBatch()) + "/export.xlsx", "bpjs.xlsx"));
    $("batch-export-csv").addEventListener("click", () => download("/api/batches/" + encodeURIComponent(currentBatch()) + "/export.csv", "bpjs.csv"));
    const people = (delta) => { state.peoplePage = Math.max(1, state.peoplePage + delta); showPeople(currentBatch()).catch((e) => say(e.message, true)); };
    $("people-prev").addEventListener("click", () => people(-1));
    $("people-next").addEventListener("click", () => people(1));
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Jakarta" });
    $("export-from").value = today;
    $("export-to").value = today;
  }

  return { loadBatches, showBatch, wire, resetPage: () => { state.page = 1; } };
})();
