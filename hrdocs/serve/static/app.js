// hrdocs serve: the little script the pages use. No framework, no build step, no inline script (the CSP
// forbids it). Each part starts only on the page that has its element.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

function onReady(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
  else fn();
}

// "Back" links on error pages.
function backLinks() {
  document.querySelectorAll("[data-back]").forEach((a) => {
    a.addEventListener("click", (event) => {
      if (history.length > 1) { event.preventDefault(); history.back(); }
    });
  });
}

// The role catalogue: filter the table as the person types (the server filters too, without script).
function roleFilter() {
  const input = document.querySelector("input[data-filter]");
  if (!input) return;
  const rows = document.querySelectorAll(input.dataset.filter + " tbody tr[data-search]");
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach((row) => {
      const text = row.dataset.search;
      row.hidden = !words.every((w) => text.includes(w));
    });
  });
}

// A letter's form: checked as the person types (the library's own messages), the preview beside it.
function letterForm() {
  const form = document.getElementById("letter-form");
  if (!form) return;
  const frame = document.getElementById("preview");
  const status = document.getElementById("preview-status");
  const box = document.getElementById("problems");
  let timer = null;
  let asked = 0;

  function show(result) {
    form.querySelectorAll(".field").forEach((div) => {
      const name = div.dataset.field;
      const message = result.fields[name];
      const p = document.getElementById("e-" + name);
      div.classList.toggle("invalid", Boolean(message));
      const group = div.closest("details");
      if (message && group) group.open = true; // an optional field with a problem is shown
      p.hidden = !message;
      p.textContent = message || "";
    });
    box.replaceChildren();
    box.hidden = result.ok;
    if (!result.ok) {
      const head = document.createElement("p");
      const n = result.problems.length;
      head.textContent = n + (n === 1 ? " problem:" : " problems:");
      const list = document.createElement("ul");
      result.problems.forEach((line) => {
        const li = document.createElement("li");
        li.textContent = line;
        list.append(li);
      });
      box.append(head, list);
      status.textContent = "The preview shows the last letter that could be made.";
    } else {
      frame.src = result.preview;
      status.textContent = result.warnings.length ? "warning: " + result.warnings.join("; ") : "Up to date.";
    }
  }

  async function check() {
    const mine = ++asked;
    const data = new FormData(form);
    const response = await fetch(form.dataset.check, {
      method: "POST", body: data, headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin",
    });
    if (mine !== asked) return; // a newer check is on its way
    if (!response.ok) { status.textContent = "The check failed (" + response.status + ")."; return; }
    show(await response.json());
  }

  const soon = () => { clearTimeout(timer); timer = setTimeout(check, 250); };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  const typed = [...new FormData(form)].some(([k, v]) => !["csrf", "formats"].includes(k) && v);
  if (typed) check(); // the page after Write: its values are already there

}

// A batch running: its progress over server-sent events, then the zip.
function batchJob() {
  const job = document.getElementById("job");
  if (!job) return;
  const stage = document.getElementById("stage");
  const bar = document.getElementById("bar");
  const summary = document.getElementById("summary");
  const zip = document.getElementById("zip");
  const problems = document.getElementById("job-problems");
  const events = new EventSource(job.dataset.events);

  function update(event) {
    const data = JSON.parse(event.data);
    if (data.stage === "check") {
      stage.textContent = "Checking rows: " + data.done;
    } else {
      stage.textContent = "Writing: " + data.done + (data.total ? " of " + data.total : "");
      bar.max = data.total || 1;
      bar.value = data.done;
    }
    if (!data.finished) return;
    events.close();
    stage.textContent = data.error ? "Stopped." : "Done.";
    summary.textContent = data.error || data.summary;
    if (data.problems.length) {
      const list = document.createElement("ul");
      data.problems.forEach((line) => {
        const li = document.createElement("li");
        li.textContent = line;
        list.append(li);
      });
      problems.replaceChildren(list);
      problems.hidden = false;
    }
    if (data.zip) {
      bar.value = bar.max;
      zip.href = data.zip;
      zip.hidden = false;
    }
  }

  events.addEventListener("progress", update);
  events.addEventListener("done", update);
  events.onerror = () => { if (!zip.href) stage.textContent = "Lost the connection to the server."; };
}

onReady(() => { backLinks(); roleFilter(); letterForm(); batchJob(); });
