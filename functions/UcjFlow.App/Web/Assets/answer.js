// The village's answer on its batch page (issue 9.2): what validation found, as the result mail says it — counts, the
// problems as the village reads them (row, name, column, what to do), never a rule code. The coordinators' decision
// shows in the batch facts when it comes. Uses app.js's api(), el() and num.
"use strict";

window.showAnswer = async function showAnswer(batchId, batch) {
  const box = document.getElementById("batch-answer");
  box.replaceChildren();
  box.hidden = batch.status === "Validating";
  if (box.hidden) return;
  let r;
  try { r = await api("/api/batches/" + encodeURIComponent(batchId) + "/result"); }
  catch (e) { box.append(el("p", e.message, { class: "error" })); return; }

  box.append(el("h3", "Hasil pemeriksaan"));
  const c = r.counts;
  let summary;
  if (r.status === "Unreadable") summary = "Berkas tidak dapat dibaca" + (r.fileMessage ? ": " + r.fileMessage : ".");
  else if (c.valid > 0) summary = num.format(c.valid) + " dari " + num.format(c.rows) + " baris valid dan diajukan kepada Tim Koordinator"
    + (c.rejected > 0 ? "; " + num.format(c.rejected) + " baris perlu diperbaiki dan tidak ikut diajukan." : ".");
  else summary = "Tidak ada baris yang valid (" + num.format(c.rows) + " baris diperiksa), sehingga berkas ini tidak diajukan kepada Tim Koordinator.";
  box.append(el("p", summary, { "data-testid": "answer-summary" }));
  if (r.notes.length) {
    const notes = el("ul");
    r.notes.forEach((n) => notes.append(el("li", n)));
    box.append(notes);
  }
  if (r.problems.length) {
    box.append(el("p", "Masalah yang ditemukan (" + num.format(r.problemCount) + "):"));
    const list = el("ul", null, { "data-testid": "answer-problems" });
    r.problems.forEach((line) => list.append(el("li", line)));
    box.append(list);
    if (r.problemCount > r.problems.length) box.append(el("p", "... dan " + num.format(r.problemCount - r.problems.length) + " masalah lainnya, lihat laporan lengkap."));
    box.append(el("p", c.valid > 0
      ? "Untuk mengajukan baris yang diperbaiki, unggah kembali seluruh data (baris valid dan yang sudah diperbaiki) dalam satu berkas; berkas baru menggantikan berkas ini selama belum diputuskan."
      : "Perbaiki baris tersebut, lalu unggah kembali berkas yang sudah diperbaiki."));
  }
};
