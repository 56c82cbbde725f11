// l10n review: live checks, saves with conflict handling, machine drafts, preview, keyboard shortcuts.
// Untrusted text (translations, sources, messages) only ever goes into the page through textContent or
// form values; the only HTML inserted is the preview, rendered by the server with raw HTML disabled.
"use strict";

(function () {
  const main = document.getElementById("review");
  if (!main) return;
  const token = document.querySelector('meta[name="l10n-token"]').content;
  const post = main.dataset.post;
  const lang = main.dataset.lang;
  const STATE_LABELS = { untranslated: "untranslated", machine: "machine draft", fuzzy: "fuzzy", reviewed: "reviewed" };
  const CHECK_DELAY_MS = 300;

  async function api(path, body) {
    const response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-L10n-Token": token },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (error) { data = { error: response.statusText }; }
    return { status: response.status, data };
  }

  function say(message) {
    document.getElementById("status").textContent = message;
  }

  const rows = Array.from(document.querySelectorAll("tr.segment"));
  // Per row: the entry as stored (exact texts from the JSON block), and a machine suggestion if any.
  const entries = JSON.parse(document.getElementById("entries").textContent);
  const stored = new Map(rows.map((row) => [row, entries[Number(row.dataset.index)]]));
  const suggestions = new Map();

  function keyOf(row) {
    const entry = stored.get(row);
    return { post, lang, msgid: entry.msgid, msgctxt: entry.msgctxt };
  }

  function box(row) { return row.querySelector("textarea"); }
  function tell(row, message, kind) {
    const place = row.querySelector(".message");
    place.textContent = message;
    place.className = "message " + (kind || "");
  }

  function showFindings(row, findings) {
    const list = row.querySelector(".findings");
    list.replaceChildren();
    for (const finding of findings) {
      const item = document.createElement("li");
      item.className = finding.severity;
      item.dataset.check = finding.check;
      item.textContent = finding.severity + ": " + finding.check + ": " + finding.message;
      list.appendChild(item);
    }
    row.classList.toggle("has-errors", findings.some((f) => f.severity === "error"));
  }

  function setEntry(row, entry) {
    stored.set(row, entry);
    row.dataset.version = entry.version;
    row.dataset.state = entry.state;
    for (const state of Object.keys(STATE_LABELS)) row.classList.remove("state-" + state);
    row.classList.add("state-" + entry.state);
    row.querySelector(".badge.state").textContent = STATE_LABELS[entry.state];
    row.querySelector(".provenance").textContent =
      entry.machine_backend ? "machine translation: " + entry.machine_backend : "";
    row.classList.remove("edited");
    suggestions.delete(row);
    updateCounts();
  }

  function updateCounts() {
    for (const badge of document.querySelectorAll("[data-count]")) {
      const state = badge.dataset.count;
      badge.textContent = rows.filter((row) => row.dataset.state === state).length + " " + state;
    }
  }

  // The backend to record with a save: the text is a machine draft nobody edited.
  function machineOf(row) {
    const text = box(row).value;
    const suggestion = suggestions.get(row);
    if (suggestion && text === suggestion.msgstr) return suggestion.backend;
    const entry = stored.get(row);
    if (entry.machine_backend && text === entry.msgstr) return entry.machine_backend;
    return null;
  }

  const timers = new WeakMap();
  function scheduleCheck(row) {
    clearTimeout(timers.get(row));
    timers.set(row, setTimeout(() => check(row), CHECK_DELAY_MS));
  }
  async function check(row) {
    const { status, data } = await api("/api/check", { ...keyOf(row), msgstr: box(row).value });
    if (status === 200) showFindings(row, data.findings);
  }

  async function save(row, approve) {
    clearTimeout(timers.get(row));
    const body = {
      ...keyOf(row),
      msgstr: box(row).value,
      approve,
      machine: machineOf(row),
      version: main.dataset.version,
      entry_version: row.dataset.version,
    };
    tell(row, "saving…");
    const { status, data } = await api("/api/save", body);
    if (status === 200) {
      main.dataset.version = data.version;
      setEntry(row, data.entry);
      showFindings(row, data.findings);
      row.querySelector(".conflict").hidden = true;
      const what = approve ? "approved" : "saved as draft";
      tell(row, data.merged ? what + " (merged with changes made on disk meanwhile)" : what, "ok");
      say(what + ": " + data.entry.msgid.slice(0, 40) + (data.entry.msgid.length > 40 ? "…" : ""));
      refreshPreview();
    } else if (status === 409) {
      showConflict(row, data);
    } else {
      if (data.findings) showFindings(row, data.findings);
      tell(row, data.error || "not saved (" + status + ")", "bad");
    }
  }

  function showConflict(row, data) {
    const panel = row.querySelector(".conflict");
    panel.querySelector(".conflict-text").textContent = data.error;
    const theirs = panel.querySelector(".theirs");
    theirs.textContent = data.entry ? "On disk now (" + STATE_LABELS[data.entry.state] + "): " + data.entry.msgstr : "";
    panel.hidden = false;
    panel.dataset.entry = data.entry ? JSON.stringify(data.entry) : "";
    // The reviewer's text stays in the box; the next save is made against what is on disk now.
    main.dataset.version = data.version;
    if (data.entry) row.dataset.version = data.entry.version;
    tell(row, "not saved: changed on disk", "bad");
  }

  function takeTheirs(row) {
    const panel = row.querySelector(".conflict");
    if (!panel.dataset.entry) return;
    const entry = JSON.parse(panel.dataset.entry);
    setEntry(row, entry);
    box(row).value = entry.msgstr;
    panel.hidden = true;
    scheduleCheck(row);
    tell(row, "took the version on disk", "ok");
  }

  async function revert(row) {
    const { status, data } = await api("/api/entry", keyOf(row));
    if (status !== 200) { tell(row, data.error || "cannot revert", "bad"); return; }
    setEntry(row, data.entry);
    box(row).value = data.entry.msgstr;
    row.querySelector(".conflict").hidden = true;
    tell(row, "reverted to the stored translation", "ok");
    check(row);
  }

  async function machine(row) {
    if (main.dataset.machine !== "on") return;
    tell(row, "asking " + main.dataset.backend + "…");
    const { status, data } = await api("/api/translate", keyOf(row));
    if (status !== 200) { tell(row, data.error || "machine translation failed", "bad"); return; }
    box(row).value = data.msgstr;
    suggestions.set(row, { msgstr: data.msgstr, backend: data.backend });
    row.classList.add("edited");
    showFindings(row, data.findings);
    tell(row, "machine draft from " + data.backend + ": review it, then approve (Ctrl+Enter)", "ok");
  }

  function needsWork(row) {
    return row.dataset.state !== "reviewed" || row.classList.contains("has-errors") || row.classList.contains("edited");
  }

  function next(from) {
    const start = from ? rows.indexOf(from) : -1;
    const ordered = rows.slice(start + 1).concat(rows.slice(0, start + 1));
    const found = ordered.find((row) => row !== from && needsWork(row));
    if (!found) { say("every segment is reviewed"); return; }
    found.scrollIntoView({ block: "center" });
    box(found).focus();
  }

  let previewShown = false;
  async function refreshPreview() {
    if (!previewShown) return;
    const section = document.getElementById("preview");
    const includeFuzzy = document.getElementById("include-fuzzy").checked;
    const { status, data } = await api("/api/preview", { post, lang, include_fuzzy: includeFuzzy });
    if (status !== 200) { say(data.error || "no preview"); return; }
    section.querySelector(".front-matter.source").textContent = data.source_front_matter;
    section.querySelector(".front-matter.output").textContent = data.output_front_matter;
    // Server-rendered with raw HTML disabled, URLs validated and images shown as text.
    section.querySelector(".rendered.source").innerHTML = data.source_html;
    section.querySelector(".rendered.output").innerHTML = data.output_html;
    section.querySelector(".percent").textContent =
      data.percent + "% of words translated" + (data.below_minimum ? " (under min_completion: build would not write it)" : "");
    const problems = section.querySelector(".problems");
    problems.replaceChildren();
    for (const problem of data.problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      problems.appendChild(item);
    }
  }
  function togglePreview(force) {
    const section = document.getElementById("preview");
    previewShown = force === undefined ? !previewShown : force;
    section.hidden = !previewShown;
    if (previewShown) { refreshPreview(); section.scrollIntoView({ block: "start" }); }
  }
  document.getElementById("include-fuzzy").addEventListener("change", refreshPreview);

  function currentRow() {
    const active = document.activeElement;
    const row = active && active.closest ? active.closest("tr.segment") : null;
    return row || rows[0];
  }

  function run(action, row) {
    switch (action) {
      case "approve": return save(row, true);
      case "draft": return save(row, false);
      case "revert": return revert(row);
      case "machine": return machine(row);
      case "take-theirs": return takeTheirs(row);
      case "next": return next(row && row.contains(document.activeElement) ? row : null);
      case "preview": return togglePreview();
    }
  }

  main.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const row = button.closest("tr.segment") || currentRow();
    run(button.dataset.action, row);
  });

  for (const row of rows) {
    box(row).addEventListener("input", () => {
      row.classList.toggle("edited", box(row).value !== stored.get(row).msgstr);
      scheduleCheck(row);
    });
  }

  document.addEventListener("keydown", (event) => {
    const row = currentRow();
    if (!row) return;
    let action = null;
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") action = "approve";
    else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "s") action = "draft";
    else if (event.altKey && !event.ctrlKey) {
      action = { r: "revert", m: "machine", n: "next", p: "preview" }[event.code.replace("Key", "").toLowerCase()] || null;
    }
    if (!action) return;
    event.preventDefault();
    run(action, row);
  });
})();
