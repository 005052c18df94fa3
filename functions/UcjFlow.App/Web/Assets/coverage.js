// Coverage page details (issue 10.4): percentage and reporting rates per kecamatan, the ranked chart (server-rendered
// SVG, published with the summary) and the daily trend. Figures come from GET /api/coverage as they are: no arithmetic
// here, so the page shows what the API, the HTML report and the mail show.
"use strict";

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
  // The published files are per regency: reports/coverage/{regency digits}/latest.*
  const published = "/reports/coverage/" + s.regencyCode.replace(/\./g, "") + "/";
  img.src = published + "latest.svg?t=" + encodeURIComponent(s.generatedAt);
  const report = document.getElementById("coverage-report-link");
  if (report) report.href = published + "latest.html";
  img.onerror = () => { chart.textContent = "Grafik tersedia setelah ringkasan cakupan pertama diterbitkan."; };
  chart.replaceChildren(img);

  document.querySelector("#coverage-trend tbody").replaceChildren(...s.trend.slice(-14).reverse().map((t) => {
    const tr = document.createElement("tr");
    tr.append(cell(t.date), cell(percent(t.coveragePercent)), cell(n.format(t.covered)), cell(n.format(t.villagesSent)));
    return tr;
  }));
}
