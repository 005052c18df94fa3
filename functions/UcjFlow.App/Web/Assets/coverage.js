// Coverage page details (issue 10.4): percentage and reporting rates per kecamatan, the ranked chart (server-rendered
// SVG, published with the summary) and the daily trend. Figures come from GET /api/coverage as they are: no arithmetic
// here, so the page shows what the API, the HTML report and the mail show. Issue 13: a date picker (GET /api/coverage?asOf=),
// the warning of a coming fall, the tables per funder and segment, and the lapse ahead.
"use strict";

// The query of GET /api/coverage: the picked date, if any (the server defaults to today in Jakarta).
function coverageQuery() {
  const picker = document.getElementById("coverage-date");
  if (!picker.dataset.wired) {
    picker.dataset.wired = "1";
    picker.addEventListener("change", () => { showCoverage().catch((e) => say(e.message, true)); }); // app.js
  }
  return picker.value ? "?asOf=" + encodeURIComponent(picker.value) : "";
}

function renderCoverage(s) {
  const n = new Intl.NumberFormat("id-ID");
  const p = new Intl.NumberFormat("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const percent = (v) => (v === null || v === undefined ? "—" : p.format(v) + "%");
  const cell = (text, attrs) => {
    const td = document.createElement("td");
    td.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => td.setAttribute(k, v));
    return td;
  };
  const dl = document.getElementById("coverage-facts");
  const add = (label, value, id) => {
    const dt = document.createElement("dt"); dt.textContent = label;
    const dd = document.createElement("dd"); dd.textContent = value;
    if (id) dd.setAttribute("data-testid", id);
    dl.append(dt, dd);
  };
  if (s.reporting) {
    const r = s.reporting;
    add("Pengiriman desa/kelurahan", "tepat waktu " + n.format(r.onTime) + " (" + percent(r.onTimePercent) + ") · terlambat " +
      n.format(r.late) + " (" + percent(r.latePercent) + ") · belum " + n.format(r.notSent) + " (" + percent(r.notSentPercent) + ")", "reporting");
  }
  if (s.workforceFigure) add("Sumber jumlah tenaga kerja", s.workforceFigure.source);

  document.getElementById("coverage-date").value = s.asOf;
  const warning = document.getElementById("coverage-warning");
  warning.hidden = !s.lapseWarning;
  warning.textContent = s.lapseWarning ? s.lapseWarning.text : "";
  const rupiah = (v) => "Rp " + n.format(v);
  const rows = (selector, items, cells) => document.querySelector(selector + " tbody").replaceChildren(...items.map((x) => {
    const tr = document.createElement("tr");
    tr.setAttribute("data-code", x.code || String(x.months));
    tr.append(...cells(x).map((c) => cell(c)));
    return tr;
  }));
  rows("#coverage-funders", s.funders || [], (f) => [f.name, n.format(f.approved), n.format(f.approvedStartingLater),
    rupiah(f.budgetCommitted), rupiah(f.budgetPending), rupiah(f.budgetGap)]);
  rows("#coverage-segments", s.segments || [], (g) => [g.name, g.kind, n.format(g.approved), n.format(g.approvedStartingLater)]);
  rows("#coverage-lapse", s.lapse || [], (l) => [l.months + " bulan", l.until, n.format(l.ending), n.format(l.lapsing),
    percent(l.percentAfter) + " (" + n.format(l.coveredAfter) + ")", rupiah(l.renewalBudget),
    l.byFunder.map((f) => f.name + ": " + n.format(f.lapsing) + " · " + rupiah(f.renewalBudget)).join("; ")]);

  document.querySelector("#districts tbody").replaceChildren(...s.districts.map((d) => {
    const tr = document.createElement("tr");
    tr.setAttribute("data-code", d.code);
    const r = d.reporting || { onTime: 0, late: 0, notSent: 0, onTimePercent: 0, latePercent: 0, notSentPercent: 0 };
    tr.append(cell(d.name), cell(percent(d.coveragePercent), { "data-testid": "district-percent" }),
      cell(n.format(d.submitted)), cell(n.format(d.approved)), cell(n.format(d.pending)), cell(n.format(d.rejected)),
      cell(n.format(r.onTime) + " (" + percent(r.onTimePercent) + ")"), cell(n.format(r.late) + " (" + percent(r.latePercent) + ")"),
      cell(n.format(r.notSent) + " (" + percent(r.notSentPercent) + ")"));
    if (d.workforceFigure) tr.title = "Sumber: " + d.workforceFigure.source;
    return tr;
  }));

  const chart = document.getElementById("coverage-chart");
  const img = document.createElement("img");
  img.alt = "Peringkat cakupan per kecamatan";
  const published = "/reports/coverage/" + s.regencyCode.replace(/\./g, "") + "/"; // the regency's published files
  img.src = published + "latest.svg?t=" + encodeURIComponent(s.generatedAt);
  document.getElementById("coverage-report").href = published + "latest.html";
  img.onerror = () => { chart.textContent = "Grafik tersedia setelah ringkasan cakupan pertama diterbitkan."; };
  chart.replaceChildren(img);

  document.querySelector("#coverage-trend tbody").replaceChildren(...s.trend.slice(-14).reverse().map((t) => {
    const tr = document.createElement("tr");
    tr.append(cell(t.date), cell(percent(t.coveragePercent)), cell(n.format(t.covered)), cell(n.format(t.villagesSent)));
    return tr;
  }));
}
