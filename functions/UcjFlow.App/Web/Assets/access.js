// Villages' personal access links (issue 9.1). Loaded before app.js; its functions run later and use app.js's helpers.
"use strict";

// A personal access link carries its token in the fragment (#akses=…), which browsers never send to a server: keep it
// as this browser's token, as if pasted, and take it out of the address bar.
(() => {
  const found = /(?:^#|&)akses=([^&]+)/.exec(location.hash);
  if (!found) return;
  // A link cut short in a chat (a lone "%") cannot be decoded: keep no token, so the page asks for one as it does
  // without a link. Nothing here may throw: the page's scripts are one file, and a throw would stop the rest.
  try { localStorage.setItem("ucjflow-token", decodeURIComponent(found[1])); } catch (e) { /* a broken link */ }
  history.replaceState(null, "", location.pathname + location.search);
})();

const ACCESS_STATE = { Active: "Aktif", Revoked: "Dicabut", Expired: "Kedaluwarsa" };

async function showAccess(me, campaign) {
  const card = $("access-card");
  card.hidden = !me || me.role !== "Coordinator";
  if (card.hidden) return;
  const label = (v) => v.kind + " " + v.name + " (" + v.code + ")";
  $("access-village").replaceChildren(...campaign.villages.map((v) => el("option", label(v), { value: v.code })));
  const districts = new Map(campaign.villages.map((v) => [v.districtCode, v.districtName]));
  $("access-district").replaceChildren(...[...districts].map(([code, name]) => el("option", name + " (" + code + ")", { value: code })));
  await loadAccessLinks();
}

async function loadAccessLinks() {
  const list = await api("/api/access");
  const body = $("access-links").querySelector("tbody");
  body.replaceChildren(...list.links.map((l) => {
    const tr = el("tr", null, { "data-link": l.linkId });
    const revoke = el("td");
    if (l.state === "Active") {
      const b = el("button", "Cabut", { class: "danger", "data-testid": "access-revoke" });
      b.addEventListener("click", () => revokeAccess(l.linkId));
      revoke.append(b);
    }
    tr.append(el("td", (l.villageName || "") + " " + l.villageCode), el("td", when(l.issuedAt) + " oleh " + l.issuedBy),
      el("td", when(l.expiresAt)), el("td", l.lastUsedAt ? when(l.lastUsedAt) : "belum pernah"),
      el("td", ACCESS_STATE[l.state] || l.state, { "data-state": l.state }), revoke);
    return tr;
  }));
  if (list.links.length === 0) {
    const tr = el("tr");
    tr.append(el("td", "Belum ada tautan akses.", { colspan: "6" }));
    body.append(tr);
  }
}

async function issueAccess() {
  try {
    const issued = await api("/api/villages/" + encodeURIComponent($("access-village").value) + "/access", { method: "POST" });
    $("access-url").value = issued.url;
    $("access-expiry").textContent = "Berlaku sampai " + when(issued.expiresAt) + ".";
    $("access-issued").hidden = false;
    say("Tautan akses dibuat.");
    await loadAccessLinks();
  } catch (e) {
    say(e.message, true);
  }
}

async function revokeAccess(linkId) {
  try {
    await api("/api/access/" + encodeURIComponent(linkId) + "/revoke", { method: "POST" });
    say("Tautan akses dicabut.");
    await loadAccessLinks();
  } catch (e) {
    say(e.message, true);
  }
}

// The sheet is issued by a POST (it creates links), then shown in a new tab to print.
async function printAccessSheet() {
  try {
    const response = await fetch(scoped("/api/districts/" + encodeURIComponent($("access-district").value) + "/access"),
      { method: "POST", headers: authHeaders() });
    if (!response.ok) throw new Error(((await response.json()) || {}).error || "Lembar tautan gagal dibuat.");
    window.open(URL.createObjectURL(new Blob([await response.text()], { type: "text/html" })), "_blank");
    await loadAccessLinks();
  } catch (e) {
    say(e.message, true);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("access-issue").addEventListener("click", issueAccess);
  $("access-sheet").addEventListener("click", printAccessSheet);
  $("access-copy").addEventListener("click", () => navigator.clipboard.writeText($("access-url").value).then(() => say("Tautan disalin.")));
});
