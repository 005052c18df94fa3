// WhatsApp (issue 9.3): coordinators send a village's messages by WhatsApp from the page. The server composes each text
// and its wa.me link (the same words as the mail); this script only lists them. Uses api() and el() of app.js at call time.
"use strict";

const WhatsAppMessages = (() => {
  const VILLAGE_STATUS = { NotSubmitted: "Belum mengunggah", AwaitingApproval: "Menunggu persetujuan", NeedsCorrection: "Perlu perbaikan" };
  const KIND = {
    Received: "Hasil pemeriksaan", Approved: "Keputusan: disetujui", Rejected: "Keputusan: ditolak",
    RejectedByValidation: "Hasil pemeriksaan: ditolak", Unreadable: "Berkas tidak terbaca", Superseded: "Berkas digantikan", Expired: "Kedaluwarsa",
  };

  function button(url, phone, testId) {
    return el("a", phone ? "Kirim lewat WhatsApp" : "Kirim lewat WhatsApp (pilih kontak)", {
      href: url, target: "_blank", rel: "noopener", class: "button wa", "data-testid": testId,
    });
  }

  // Batch page: one button per message the village got about this batch (result, decision).
  async function showBatch(me, batch) {
    const box = document.getElementById("wa-messages");
    box.hidden = true;
    if (!me || me.role !== "Coordinator") return;
    const messages = await api("/api/batches/" + encodeURIComponent(batch.batchId) + "/messages");
    box.querySelector("ul").replaceChildren(...messages.map((m) => {
      const li = el("li", null, { "data-kind": m.kind });
      li.append(el("strong", KIND[m.kind] || m.kind), " ", el("span", m.phone ? "ke " + m.phone : "(PIC belum punya nomor HP)", { class: "muted" }), " ",
        button(m.whatsAppUrl, m.phone, "wa-" + m.kind));
      return li;
    }));
    box.hidden = messages.length === 0;
  }

  // Home page: the villages without an approved batch, each with its reminder.
  async function showLate(me) {
    const box = document.getElementById("late-villages");
    box.hidden = true;
    if (!me || me.role !== "Coordinator") return;
    const late = await api("/api/villages/late");
    document.getElementById("late-summary").textContent = num.format(late.villages.length) + " dari " + num.format(late.villagesTotal)
      + " desa/kelurahan belum disetujui; batas pengumpulan " + late.deadline + ".";
    box.querySelector("tbody").replaceChildren(...late.villages.map((v) => {
      const tr = el("tr", null, { "data-village": v.code });
      const send = el("td");
      send.append(button(v.whatsAppUrl, v.picPhone, "wa-late-" + v.code));
      tr.append(el("td", v.kind + " " + v.name + " (" + v.districtName + ")"), el("td", VILLAGE_STATUS[v.status] || v.status),
        el("td", v.picPhone || "-"), send);
      return tr;
    }));
    box.hidden = false;
  }

  return { showBatch, showLate };
})();
