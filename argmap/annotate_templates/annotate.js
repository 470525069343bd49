// argmap annotate: the page. Every piece of corpus text goes in with textContent; never as markup.
"use strict";
(function () {
  const TOKEN = document.querySelector('meta[name="argmap-token"]').content;
  const ACCESS = new URLSearchParams(location.search).get("token");
  const $ = (id) => document.getElementById(id);
  const el = (tag, props, text) => {
    const e = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  if (ACCESS) $("map-link").href = "/map?token=" + encodeURIComponent(ACCESS);
  let current = null;   // the open source, as /api/source sent it
  let lastSel = null;   // {start, end, selected}: the last selection inside the text
  let pending = null;   // the selection the claim form is for

  function headers(write) {
    const h = { "Content-Type": "application/json" };
    if (write) h["X-Argmap-Token"] = TOKEN;
    if (ACCESS) h["X-Argmap-Access"] = ACCESS;
    return h;
  }
  async function getJSON(url) {
    const r = await fetch(url, { headers: headers(false) });
    return [r.status, await r.json()];
  }
  async function post(url, body) {
    const r = await fetch(url, { method: "POST", headers: headers(true), body: JSON.stringify(body) });
    return [r.status, await r.json()];
  }
  function status(msg, bad) {
    const s = $("status");
    s.textContent = msg;
    s.className = bad ? "bad" : "";
  }

  // ------------------------------------------------------------ sources and text
  async function loadSources() {
    const [code, data] = await getJSON("/api/sources");
    if (code !== 200) return status(data.message, true);
    $("debate").textContent = data.debate;
    const ul = $("sources");
    ul.replaceChildren();
    data.sources.forEach((s) => {
      const b = el("button", { type: "button", "data-source": s.id }, `${s.title} (${s.claims} claim${s.claims === 1 ? "" : "s"}${s.drafts ? ", drafts" : ""})`);
      b.addEventListener("click", () => openSource(s.id, true));
      const li = el("li");
      li.append(b);
      ul.append(li);
    });
    return data;
  }

  let opening = 0;  // the latest request to open a source: an earlier answer arriving late is dropped
  // show: the reader chose it, so bring its text into view (on a phone the list of sources comes first)
  async function openSource(id, show = false) {
    const mine = ++opening;
    document.body.dataset.opening = "true";  // until the newest source asked for is shown (tests wait on it)
    const [code, data] = await getJSON("/api/source?id=" + encodeURIComponent(id));
    if (mine !== opening) return;
    delete document.body.dataset.opening;
    if (code !== 200) return status(data.message, true);
    current = data;
    document.querySelectorAll("#sources button").forEach((b) => b.setAttribute("aria-current", String(b.dataset.source === id)));
    $("source-title").textContent = data.title;
    renderText();
    renderLists();
    fillRelationForm();
    hideClaimForm();
    const top = $("source-title").getBoundingClientRect().top;
    if (show && (top < 0 || top > innerHeight * 0.5)) {
      $("source-title").scrollIntoView({ block: "start" });
    }
  }

  function renderText() {
    const cps = Array.from(current.text);
    const marks = [];
    current.claims.forEach((c) => marks.push({ start: c.start, end: c.end, cls: "claim", id: c.id, title: c.title }));
    current.drafts.forEach((d) => { if (d.start !== null) marks.push({ start: d.start, end: d.end, cls: "draft", id: d.id, title: d.text }); });
    const cuts = new Set([0, cps.length]);
    marks.forEach((m) => { cuts.add(m.start); cuts.add(m.end); });
    const points = Array.from(cuts).sort((a, b) => a - b);
    const box = $("text");
    box.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const over = marks.filter((m) => m.start <= a && m.end >= b);
      const span = el("span", { "data-start": String(a) }, cps.slice(a, b).join(""));
      if (over.length) {
        span.className = "hl " + Array.from(new Set(over.map((m) => m.cls))).join(" ");
        span.title = over.map((m) => `${m.cls} ${m.id}: ${m.title}`).join("\n");
        span.dataset.ids = over.map((m) => m.id).join(" ");
      }
      box.append(span);
    }
  }

  function renderLists() {
    const dl = $("drafts");
    dl.replaceChildren();
    if (!current.drafts.length) dl.append(el("li", {}, "No drafts for this source (argmap draft --source " + current.id + " makes them)."));
    current.drafts.forEach((d) => {
      const li = el("li", { "data-draft": d.id });
      li.append(el("div", {}, `${d.id} (${d.stance}): ${d.text}`));
      const acc = el("button", { type: "button", class: "accept" }, "Accept");
      acc.setAttribute("aria-label", "Accept draft " + d.id);
      acc.addEventListener("click", () => decide(d.id, true));
      const edit = el("button", { type: "button", class: "edit" }, "Edit");
      edit.setAttribute("aria-label", "Edit draft " + d.id);
      edit.addEventListener("click", () => editDraft(d));
      const rej = el("button", { type: "button", class: "reject" }, "Reject");
      rej.setAttribute("aria-label", "Reject draft " + d.id);
      rej.addEventListener("click", () => decide(d.id, false));
      li.append(acc, " ", edit, " ", rej);
      dl.append(li);
    });
    const cl = $("claims");
    cl.replaceChildren();
    current.claims.forEach((c) => cl.append(el("li", { "data-claim": c.id }, `${c.id} (${c.stance}): ${c.text}`)));
  }

  // ------------------------------------------------------------ selection -> offsets (code points)
  function pointOffset(node, off) {
    const box = $("text");
    if (!box.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) {
      const span = node.parentElement;
      return Number(span.dataset.start) + Array.from(node.data.slice(0, off)).length;
    }
    if (node === box) {
      if (off < box.childNodes.length) return Number(box.childNodes[off].dataset.start);
      return Array.from(current.text).length;
    }
    const span = node.closest("[data-start]");
    return Number(span.dataset.start) + (off > 0 ? Array.from(span.textContent).length : 0);
  }
  // The selection now (selectionchange comes a little later than the key or mouse that made it).
  function readSel() {
    const sel = document.getSelection();
    if (!current || !sel.rangeCount) return;
    const r = sel.getRangeAt(0);
    const a = pointOffset(r.startContainer, r.startOffset), b = pointOffset(r.endContainer, r.endOffset);
    if (a === null || b === null) return;  // a selection elsewhere (the form): keep the last one
    lastSel = a < b && sel.toString().trim() ? { start: a, end: b, selected: sel.toString() } : null;
    $("make-claim").disabled = !lastSel;
  }
  document.addEventListener("selectionchange", readSel);
  // Keyboard selection: Tab into the text puts a caret at its start; Shift+arrows extend the selection,
  // Ctrl+Shift+arrows by words; Enter opens the claim form for it.
  $("text").addEventListener("focus", () => {
    const sel = document.getSelection();
    if (!sel.rangeCount || !$("text").contains(sel.anchorNode)) {
      const first = $("text").querySelector("[data-start]");
      if (first && first.firstChild) sel.collapse(first.firstChild, 0);
    }
  });
  $("text").addEventListener("keydown", (ev) => {
    const dirs = { ArrowRight: ["forward", "character"], ArrowLeft: ["backward", "character"], ArrowDown: ["forward", "line"], ArrowUp: ["backward", "line"], End: ["forward", "lineboundary"], Home: ["backward", "lineboundary"] };
    const sel = document.getSelection();
    if (dirs[ev.key]) {
      const [dir, unit] = dirs[ev.key];
      sel.modify(ev.shiftKey ? "extend" : "move", dir, ev.ctrlKey && unit === "character" ? "word" : unit);
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      readSel();
      if (!lastSel) return;
      ev.preventDefault();
      makeClaim();
    }
  });

  // ------------------------------------------------------------ the claim form
  function options(select, items, blank) {
    select.replaceChildren();
    if (blank) select.append(el("option", { value: "" }, blank));
    items.forEach(([v, label]) => select.append(el("option", { value: v }, label)));
  }
  function clearErrors(prefix) {
    document.querySelectorAll(`[id^="${prefix}-"].field-error`).forEach((p) => { p.textContent = ""; });
    document.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  }
  function showErrors(prefix, fields, message) {
    let shown = false;
    Object.entries(fields || {}).forEach(([k, msg]) => {
      const p = $(`${prefix}-${k}`) || $(`${prefix}-_`);
      p.textContent = p.textContent ? p.textContent + " " + msg : msg;
      const input = document.querySelector(`#${prefix === "err" ? "f" : "r"}-${k}`);
      if (input) input.setAttribute("aria-invalid", "true");
      shown = true;
    });
    if (!shown) $(`${prefix}-_`).textContent = message;
  }
  function hideClaimForm() { $("claim-panel").hidden = true; pending = null; }
  const NEW_SPEAKER = "+new";
  function showNewSpeaker() { $("new-speaker").hidden = $("f-speaker").value !== NEW_SPEAKER; }
  $("f-speaker").addEventListener("change", showNewSpeaker);

  // The claim form, for a passage selected in the text (for: {start, end, selected}) or for a draft
  // (for: {draft: id}); s: the values to fill it with.
  function openForm(s, target, heading) {
    pending = target;
    clearErrors("err");
    $("claim-heading").textContent = heading;
    $("save-claim").textContent = target.draft ? "Save the edited draft as a claim" : "Save claim";
    $("f-quote").textContent = s.quote + (s.occurrence ? `  (occurrence ${s.occurrence})` : "");
    $("f-id").value = s.id;
    $("f-text").value = s.text;
    options($("f-stance"), current.stances.map((x) => [x, x]), "(pick a stance)");
    $("f-stance").value = s.stance;
    const box = $("f-topics");
    box.replaceChildren();
    current.topics.forEach((t) => {
      const id = "topic-" + t.id;
      const cb = el("input", { type: "checkbox", id, value: t.id });
      cb.checked = s.topics.includes(t.id);
      const lab = el("label", { for: id }, t.label);
      const row = el("div", { class: "check" });
      row.append(cb, " ", lab);
      box.append(row);
    });
    ["id", "label", "definition"].forEach((k) => { $("f-new_topic_" + k).value = ""; });
    $("new-topic").open = false;
    options($("f-speaker"), current.speakers.map((x) => [x.id, x.name]).concat([[NEW_SPEAKER, "a new speaker…"]]), "(pick a speaker)");
    options($("f-new_speaker_type"), current.speaker_types.map((x) => [x, x]), "(pick a type)");
    const ns = s.new_speaker || {};
    ["id", "name", "type", "role"].forEach((k) => { $("f-new_speaker_" + k).value = ns[k] || ""; });
    $("f-speaker").value = s.new_speaker ? NEW_SPEAKER : s.speaker;
    showNewSpeaker();
    options($("f-kind"), current.kinds.map((x) => [x, x]));
    $("f-kind").value = s.kind;
    $("f-figures").value = s.figures;
    $("f-title").value = "";
    $("claim-panel").hidden = false;
    $("f-text").focus();
    $("claim-panel").scrollIntoView({ block: "start" });
  }

  async function makeClaim() {
    readSel();
    if (!lastSel || !current) return;
    const [code, s] = await post("/api/suggest", { source: current.id, ...lastSel });
    if (code !== 200) return status(s.message, true);
    openForm(s, { start: s.start, end: s.end, selected: lastSel.selected }, "New claim");
  }
  function editDraft(d) {
    const known = current.speakers.some((x) => x.id === d.speaker);
    openForm({ ...d, speaker: known ? d.speaker : "" }, { draft: d.id }, `Edit draft ${d.id}`);
  }
  $("make-claim").addEventListener("click", makeClaim);
  $("cancel-claim").addEventListener("click", hideClaimForm);

  $("claim-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!pending) return;
    clearErrors("err");
    const val = (id) => $(id).value;
    const form = {
      id: val("f-id"), text: val("f-text"), stance: val("f-stance"), speaker: val("f-speaker"),
      kind: val("f-kind"), figures: val("f-figures"), title: val("f-title"),
      topics: Array.from(document.querySelectorAll("#f-topics input:checked")).map((c) => c.value),
      new_topic: { id: val("f-new_topic_id"), label: val("f-new_topic_label"), definition: val("f-new_topic_definition") },
    };
    if (form.speaker === NEW_SPEAKER) {
      form.new_speaker = { id: val("f-new_speaker_id"), name: val("f-new_speaker_name"), type: val("f-new_speaker_type"), role: val("f-new_speaker_role") };
    }
    const [code, r] = await post("/api/claim", { source: current.id, ...pending, form, versions: current.versions });
    if (code === 200) {
      const id = current.id;
      await loadSources();
      await openSource(id);
      const extra = [r.new_speaker && `new speaker ${r.new_speaker}`, r.new_topic && `new topic ${r.new_topic}`].filter(Boolean);
      status(`saved claim ${r.saved} to ${r.file}` + (extra.length ? ` (with ${extra.join(", ")})` : "") + "; the map updates");
    } else if (code === 409) {
      showErrors("err", {}, r.message);
      status(r.message, true);
    } else {
      if (Object.keys(r.fields || {}).some((k) => k.startsWith("new_topic_"))) $("new-topic").open = true;
      showErrors("err", r.fields, r.message);
      status("not saved: " + r.message, true);
      const first = document.querySelector("#claim-form .field-error:not(:empty)");
      if (first) first.scrollIntoView({ block: "center" });
    }
  });

  // ------------------------------------------------------------ relations
  function fillRelationForm() {
    const claims = current.all_claims.map((c) => [c.id, `${c.id}: ${c.title}`]);
    options($("r-from"), claims, "(pick a claim)");
    options($("r-type"), current.relation_types.map((x) => [x, x]), "(pick a type)");
    const targets = claims.concat(current.relations.filter((r) => r.type !== "undercuts").map((r) => [r.id, `relation ${r.id}`]));
    options($("r-to"), targets, "(pick a claim or relation)");
  }
  $("relation-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors("rerr");
    const form = { from: $("r-from").value, to: $("r-to").value, type: $("r-type").value, rationale: $("r-rationale").value };
    const [code, r] = await post("/api/relation", { form, versions: current.versions });
    if (code === 200) {
      $("r-rationale").value = "";
      await openSource(current.id);
      status(`saved relation ${r.saved} to ${r.file}`);
    } else {
      showErrors("rerr", code === 409 ? {} : r.fields, r.message);
      status("not saved: " + r.message, true);
    }
  });

  // ------------------------------------------------------------ drafts
  async function decide(id, accept) {
    const [code, r] = await post(accept ? "/api/draft/accept" : "/api/draft/reject", { source: current.id, id, versions: current.versions });
    if (code !== 200) return status("not done: " + r.message, true);
    const sid = current.id;
    await loadSources();
    await openSource(sid);
    status(`${accept ? "accepted" : "rejected"} draft ${id}`);
  }

  loadSources().then((data) => { if (data && data.sources.length) openSource(data.sources[0].id); });
})();
