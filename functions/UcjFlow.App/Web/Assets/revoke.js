// Approve with eyes open, revoke with a reason, mark the BPJS export sent, and the audit trail (issue 10.2).
// Loaded after app.js and uses its helpers ($, api, el, num, when, say, decide, showBatch, showWho); app.js's showBatch
// calls revokeOnBatch each time it shows a batch.
"use strict";

const AUDIT_ACTION = {
  Approve: "Disetujui",
  Reject: "Ditolak",
  Revoke: "Persetujuan dicabut",
  ExportSent: "Ekspor BPJS ditandai terkirim",
};
let revokeShown = null; // { me, batch } of the batch on the page

// The cost as the server computed it (Campaign.CostOf, the one owner of the rule): people × rupiah per person for the funded months.
function approvalCostText(c) {
  return "Menyetujui batch ini mendaftarkan " + num.format(c.people) + " orang × Rp " + num.format(c.costPerWorker)
    + " (iuran " + num.format(c.months) + " bulan) = Rp " + num.format(c.total) + ". Lanjutkan?";
}

async function revokeOnBatch(me, b) {
  revokeShown = { me, batch: b };
  ["approve-box", "revoke-box", "export-sent-box"].forEach((id) => { $(id).hidden = true; });
  const coordinator = me && me.role === "Coordinator";
  let audit = [];
  if (coordinator) {
    try { audit = (await api("/api/audit?batch=" + encodeURIComponent(b.batchId))).entries; }
    catch (e) { say(e.message, true); }
  }
  const exportSent = audit.some((e) => e.action === "ExportSent");
  $("revoke-section").hidden = !(coordinator && b.status === "Approved" && !exportSent);
  $("audit-box").hidden = audit.length === 0;
  $("audit").replaceChildren(...audit.map((e) => el("li",
    (AUDIT_ACTION[e.action] || e.action) + " oleh " + e.actor + ", " + when(e.at) + (e.reason ? " \u2014 alasan: " + e.reason : ""),
    { "data-action": e.action })));
}

async function revokePost(path, body) {
  const b = revokeShown.batch;
  return api("/api/batches/" + encodeURIComponent(b.batchId) + "/" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
}

$("approve").addEventListener("click", () => {
  const c = revokeShown && revokeShown.batch.approvalCost;
  $("approve-cost").textContent = c ? approvalCostText(c) : "Setujui batch ini?";
  $("reject-box").hidden = true;
  $("approve-box").hidden = false;
});
$("reject").addEventListener("click", () => { $("approve-box").hidden = true; });
$("cancel-approve").addEventListener("click", () => { $("approve-box").hidden = true; });
$("confirm-approve").addEventListener("click", async () => {
  $("approve-box").hidden = true;
  await decide(await showWho(), revokeShown.batch.batchId, true);
});

$("revoke").addEventListener("click", () => {
  $("export-sent-box").hidden = true;
  $("revoke-box").hidden = false;
  $("revoke-reason").focus();
});
$("confirm-revoke").addEventListener("click", async () => {
  const reason = $("revoke-reason").value.trim();
  if (!reason) { say("Alasan pencabutan wajib diisi.", true); return; }
  try {
    const r = await revokePost("revoke", { reason });
    $("revoke-reason").value = "";
    say("Persetujuan dicabut: " + num.format(r.unenrolled) + " peserta dikeluarkan; desa/kelurahan diberi tahu.");
  } catch (e) {
    say(e.message, true);
  }
  await showBatch(revokeShown.me, revokeShown.batch.batchId);
});

$("mark-export-sent").addEventListener("click", () => {
  $("revoke-box").hidden = true;
  $("export-sent-box").hidden = false;
});
$("confirm-export-sent").addEventListener("click", async () => {
  try {
    await revokePost("export-sent");
    say("Ekspor BPJS ditandai terkirim.");
  } catch (e) {
    say(e.message, true);
  }
  await showBatch(revokeShown.me, revokeShown.batch.batchId);
});
