// Roster upload on a weak network (loaded after app.js; uses its $, say, authHeaders, route).
// Every picked file is first kept in the browser (IndexedDB), then sent with a progress bar; a network failure or a
// temporary server answer is retried with backoff, an offline device waits for the "online" event, and the kept copy is
// deleted only after the server's 202. One sender at a time per browser (Web Locks), so a file is never sent twice; the
// server also maps the same bytes to the same batch.
"use strict";

const uploadQueue = (() => {
  const DB = "ucjflow-uploads", STORE = "queue";
  let memory = null; // fallback when the browser refuses IndexedDB (some private modes): kept for this page only
  const open = () => new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    });
  }
  return {
    async add(item) {
      try { return await run("readwrite", (s) => s.add(item)); }
      catch (e) { memory = memory || new Map(); const id = "m" + (memory.size + 1); memory.set(id, Object.assign({ id }, item)); return id; }
    },
    async all() {
      const stored = await run("readonly", (s) => s.getAll()).catch(() => []);
      return stored.concat(memory ? [...memory.values()] : []);
    },
    async remove(id) {
      if (memory && memory.delete(id)) return;
      await run("readwrite", (s) => s.delete(id));
    },
  };
})();

const RETRY_STATUS = new Set([408, 429, 502, 503, 504, 507]); // temporary: the server kept nothing, try again
const BACKOFF_SECONDS = [1, 2, 4, 8, 15, 30, 60];             // then every 60 s while the page is open

function uploadStatus(text, isError) {
  const p = $("upload-status");
  p.textContent = text || "";
  p.className = isError ? "error" : "";
}

function uploadProgress(fraction) {
  const bar = $("upload-progress");
  bar.hidden = fraction === null;
  if (fraction !== null) bar.value = Math.round(fraction * 100);
}

// One POST of a kept file; resolves with {status, body} for any HTTP answer, rejects only when the network failed.
function sendOnce(item, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", item.path || scoped("/api/uploads/" + encodeURIComponent(item.village)));
    Object.entries(authHeaders()).forEach(([k, v]) => xhr.setRequestHeader(k, v));
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => reject(new Error("network"));
    const form = new FormData();
    form.append("file", item.file, item.name);
    xhr.send(form);
  });
}

const waitSeconds = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

// Sends one kept file until the server answers for good; returns the answer, or null when the device went offline.
async function deliver(item) {
  let note = ""; // why this is a retry, kept in view while it runs
  for (let attempt = 1; ; attempt++) {
    if (!navigator.onLine) return null;
    const doing = note + (attempt > 1 ? "Mengirim ulang" : "Mengunggah") + " \u201c" + item.name + "\u201d"
      + (attempt > 1 ? " (percobaan ke-" + attempt + ")" : "") + "\u2026";
    uploadProgress(0);
    uploadStatus(doing, attempt > 1);
    let answer = null;
    try {
      answer = await sendOnce(item, (f) => { uploadProgress(f); uploadStatus(doing + " " + Math.round(f * 100) + "%", attempt > 1); });
    } catch (e) {
      answer = null;
    }
    if (answer && !RETRY_STATUS.has(answer.status)) return Object.assign(answer, { attempt });
    if (!navigator.onLine) return null;
    const wait = BACKOFF_SECONDS[Math.min(attempt - 1, BACKOFF_SECONDS.length - 1)];
    note = (answer ? ((answer.body && answer.body.error) || "Server sedang sibuk.") : "Koneksi terputus saat mengunggah.")
      + " Berkas tetap tersimpan di perangkat ini. ";
    uploadProgress(null);
    uploadStatus(note + "Dicoba lagi dalam " + wait + " detik (percobaan ke-" + (attempt + 1) + ").", true);
    await waitSeconds(wait);
  }
}

let flushing = null;

// Sends every kept file in order. One runs at a time in this page (and, with Web Locks, across this browser's tabs).
function flushUploads() {
  // A file kept while a run is ending would wait for the next trigger: queue one more run behind the current one.
  if (flushing) return flushing.then(() => flushUploads());
  const work = async () => {
    let last = null;
    for (;;) {
      const [item] = await uploadQueue.all();
      if (!item) break;
      const answer = await deliver(item);
      if (answer === null) {
        uploadProgress(null);
        uploadStatus("Tidak ada koneksi internet. Berkas \u201c" + item.name + "\u201d tersimpan di perangkat ini dan dikirim otomatis saat online.", true);
        return null;
      }
      await uploadQueue.remove(item.id); // only now: the server has answered for good
      uploadProgress(null);
      if (answer.status === 202) {
        last = answer;
        uploadStatus("");
        // A retry of bytes the server already stored reports them as a duplicate: for the PIC it is the same upload.
        say(answer.body.duplicate && answer.attempt === 1 ? "Berkas yang sama sudah pernah diunggah: batch " + answer.body.batchId
          : "Berkas diterima dan sedang diperiksa: batch " + answer.body.batchId);
      } else {
        const text = (answer.body && answer.body.error) || "Unggahan ditolak server (" + answer.status + ").";
        uploadStatus("\u201c" + item.name + "\u201d tidak terkirim: " + text, true);
        say(text, true);
      }
    }
    if (last) {
      history.pushState(null, "", "/batches/" + encodeURIComponent(last.body.batchId));
      await route();
    }
    return last;
  };
  const locked = navigator.locks ? navigator.locks.request("ucjflow-upload-queue", work) : work();
  flushing = locked.finally(() => { flushing = null; });
  return flushing;
}

async function upload(event) {
  event.preventDefault();
  const file = $("file").files[0];
  if (!file) { say("Pilih berkas terlebih dahulu.", true); return; }
  say("");
  // The campaign picked now (campaigns.js) goes with the kept file: a later pick does not move it.
  await uploadQueue.add({ village: $("village").value, path: scoped("/api/uploads/" + encodeURIComponent($("village").value)),
    name: file.name, file, queuedAt: new Date().toISOString() });
  $("file").value = "";
  await flushUploads();
}

$("upload-form").addEventListener("submit", (e) => upload(e).catch((err) => say(err.message, true)));
window.addEventListener("online", () => flushUploads().catch((err) => say(err.message, true)));
// Files kept by an earlier visit go out as soon as the page is open again.
flushUploads().catch((err) => say(err.message, true));
