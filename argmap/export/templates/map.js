/* argmap: the interactive argument map. Corpus text enters the page only through textContent. */
(function () {
  "use strict";

  function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }
  var D = readJSON("argmap-data");
  var NODES = readJSON("argmap-nodes");
  var EDGES = readJSON("argmap-edges");
  var OPTIONS = readJSON("argmap-options");
  performance.mark("argmap:parsed");
  var WORDS = D.stance_words;
  var STANCES = D.stances;  // argmap.sources.model.STANCES, as are the words

  // ------------------------------------------------------------ indexes
  var claims = {}, sources = {}, speakers = {}, topics = {}, relations = {};
  D.claims.forEach(function (c) { claims[c.id] = c; });
  D.sources.forEach(function (s) { sources[s.id] = s; });
  D.speakers.forEach(function (p) { speakers[p.id] = p; });
  D.topics.forEach(function (t) { topics[t.id] = t; });
  D.relations.forEach(function (r) { relations[r.id] = r; });
  var incoming = {}, outgoing = {}, neighbours = {};
  function push(map, key, value) { (map[key] || (map[key] = [])).push(value); }
  function claimEnd(id) {  // a relation's end as a claim: an undercut's target relation counts as its conclusion
    if (claims[id]) { return id; }
    return relations[id] ? relations[id].to : null;
  }
  // The filters follow argmap.sources.select (tests/test_map_filter_rules.py holds them to it): an undercut of
  // the link a -> b is next to both a and b.
  D.relations.forEach(function (r) {
    push(outgoing, r.from, r);
    push(incoming, r.to, r);
    var to = claimEnd(r.to);
    if (to && claims[r.from]) { push(neighbours, r.from, to); push(neighbours, to, r.from); }
    if (!claims[r.to] && relations[r.to]) { push(neighbours, r.from, relations[r.to].from); push(neighbours, relations[r.to].from, r.from); }
  });

  // ------------------------------------------------------------ small DOM helpers (text only)
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { e.textContent = attrs[k]; }
        else if (k === "class") { e.className = attrs[k]; }
        else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function safeHref(url) { return typeof url === "string" && /^https?:\/\/[^\s]/i.test(url) ? url : null; }
  function num(x, digits) { return x === null || x === undefined ? "" : Number(x).toFixed(digits); }

  // ------------------------------------------------------------ tooltips as DOM elements (never HTML strings)
  function tooltip(n) {
    if (n.kind === "claim") {
      var c = claims[n.id.slice(2)];
      return el("div", null, [el("div", { class: "t-stance", text: WORDS[c.stance] }), el("div", { text: c.text })]);
    }
    if (n.kind === "source") { return el("div", { text: sources[n.id.slice(2)].title }); }
    if (n.kind === "speaker") { return el("div", { text: speakers[n.id.slice(2)].name }); }
    if (n.kind === "motion") { return el("div", { text: "The motion: " + D.motion }); }
    return undefined;
  }
  NODES.forEach(function (n) { var t = tooltip(n); if (t) { n.title = t; } });
  EDGES.forEach(function (e) {
    var r = relations[e.rel];
    if (r && e.id === "r:" + r.id) { e.title = el("div", { text: r.type + ": " + r.rationale }); }
  });

  // ------------------------------------------------------------ the network
  performance.mark("argmap:tooltips");
  // Sources and speakers (and their edges) join the network only when first shown: a large map starts faster.
  var EXTRA = { source: true, speaker: true };
  var present = {}, added = {};
  function core(items) { return items.filter(function (x) { return !EXTRA[x.kind]; }); }
  var container = document.getElementById("map");
  var NODE = {};
  NODES.forEach(function (n) { NODE[n.id] = n; });
  // Lines keep a readable width however far the map is zoomed out: when a relation would be under
  // D.view.edge_px screen pixels wide, every line is widened and its dashes lengthened by one factor, in steps of
  // 2, so that zooming changes them only now and then. Relations take their width from the global edge options
  // (one change for thousands of lines). Dashes, and the widths of the other lines (links to the motion,
  // sources, speakers), are each line's own: vis-network reads them from each edge's options at every drawing,
  // so they are rescaled there, in place (updating thousands of edges through the DataSet takes a second).
  // A map with many attacks, zoomed far out, draws them solid: thousands of dashed lines take most of a
  // second to draw, and at that zoom nothing can be read anyway.
  var OWN = {}, ownIds = [], nDashed = 0;
  EDGES.forEach(function (e) {
    if (e.width !== undefined || Array.isArray(e.dashes)) { OWN[e.id] = { width: e.width, dashes: e.dashes }; ownIds.push(e.id); }
    if (Array.isArray(e.dashes)) { nDashed++; }
  });
  function lineFactor(scale) {
    var f = D.view.edge_px / (D.edge_width * scale);
    return f <= 1 ? 1 : Math.pow(2, Math.ceil(Math.log(f) / Math.LN2 - 0.25));
  }
  function wantDashes(scale) { return nDashed <= D.view.dash_limit || scale >= D.view.dash_min_scale; }
  function ownLine(id, f, dashed) {
    var own = OWN[id], o = {};
    if (own.width !== undefined) { o.width = own.width * f; }
    if (Array.isArray(own.dashes)) { o.dashes = dashed ? own.dashes.map(function (x) { return x * f; }) : false; }
    return o;
  }
  var lines, dashed;
  (function () {  // the first view's lines, from the layout's extent, so that the first drawing is right
    var xs = [], ys = [];
    NODES.forEach(function (n) { if (!EXTRA[n.kind]) { xs.push(n.x); ys.push(n.y); } });
    var w = Math.max.apply(null, xs) - Math.min.apply(null, xs) + 300, h = Math.max.apply(null, ys) - Math.min.apply(null, ys) + 200;
    var scale = Math.min((container.clientWidth || 800) / w, (container.clientHeight || 600) / h, 1);
    lines = lineFactor(scale); dashed = wantDashes(scale);
    OPTIONS.edges.width = D.edge_width * lines;
    EDGES.forEach(function (e) { if (OWN[e.id]) { var o = ownLine(e.id, lines, dashed); Object.keys(o).forEach(function (k) { e[k] = o[k]; }); } });
  })();
  function restyleOwn() {  // after the DataSet has (re)set an edge's options
    ownIds.forEach(function (id) {
      var edge = network.body.edges[id];
      if (edge) { var o = ownLine(id, lines, dashed); Object.keys(o).forEach(function (k) { edge.options[k] = o[k]; }); }
    });
  }
  function checkLines() {
    var scale = network.getScale(), f = lineFactor(scale), d = wantDashes(scale);
    if (f === lines && d === dashed) { return; }
    lines = f; dashed = d;
    restyleOwn();
    network.setOptions({ edges: { width: D.edge_width * f } });  // and draws again
  }
  var nodes = new vis.DataSet(core(NODES));
  var edges = new vis.DataSet(core(EDGES));
  nodes.getIds().forEach(function (id) { present[id] = true; });
  edges.getIds().forEach(function (id) { present[id] = true; });
  function addExtras(kind) {
    if (added[kind]) { return; }
    added[kind] = true;
    var n = NODES.filter(function (x) { return x.kind === kind; }), e = EDGES.filter(function (x) { return x.kind === kind; });
    n.forEach(function (x) { present[x.id] = true; x.hidden = true; });
    e.forEach(function (x) { present[x.id] = true; x.hidden = true; });
    nodes.add(n); edges.add(e);
    restyleOwn();
  }
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, OPTIONS);
  performance.mark("argmap:network");
  var ready = false;
  function markReady() {
    if (ready) { return; }
    ready = true;
    performance.mark("argmap:ready");
    if (D.physics) {  // the settled positions are the layout from now on
      network.setOptions({ physics: { enabled: false } });
      var settled = network.getPositions();
      Object.keys(settled).forEach(function (id) { HOME[id] = settled[id]; });
      shownBefore = null;  // arrange what is shown, now that physics no longer moves it
      apply();
      fitView(false);
    }
    else if (!fullView || compacted) { fitView(false); }  // again, now that the boxes have been measured as drawn
    document.body.setAttribute("data-ready", "true");
    window.argmapReady = true;
    buildList();  // after the drawing (the same task: nothing else runs before it)
  }
  network.on("zoom", checkLines);
  network.on("afterDrawing", checkLines);

  // ------------------------------------------------------------ names over the map
  // vis-network draws a node's own label only from D.view.label_min_px screen pixels: at the overview of a
  // debate every box would be blank. Over the drawing go, at a fixed screen size: the motion; on the full map
  // the names of the sides' and topics' regions (D.regions) and of the rows of loose context claims; and, most
  // important first (D.rank), the short titles of the claims whose own label is not drawn, as many as fit
  // without covering each other. Zooming in makes room for more.
  var RANK = D.rank.map(function (id) { return "c:" + id; });
  var TITLE_LINES = {};
  D.claims.forEach(function (c) { TITLE_LINES["c:" + c.id] = c.lines.split("\n"); });
  var INK = { pro: "#00609A", con: "#A84600", neutral: "#111111" };
  var BORDER = { pro: "#0072B2", con: "#D55E00", neutral: "#000000" };
  var overlayDrawn = { claims: [], regions: [] };
  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) { return true; }
    }
    return false;
  }
  function textBlock(ctx, lines, x, y, px, weight) {  // size of a block of lines centred on (x, y), in screen pixels
    ctx.font = weight + " " + px + "px " + OPTIONS.nodes.font.face;
    var w = 0;
    lines.forEach(function (t) { w = Math.max(w, ctx.measureText(t).width); });
    var h = lines.length * px * 1.22;
    return { l: x - w / 2, r: x + w / 2, t: y - h / 2, b: y + h / 2, w: w, h: h };
  }
  function drawLines(ctx, lines, box, px, colour) {
    ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.fillStyle = colour;
    lines.forEach(function (t, i) { ctx.fillText(t, (box.l + box.r) / 2, box.t + (i + 0.5) * px * 1.22); });
  }
  function chip(ctx, box, stance, pad, dashed, width) {
    ctx.beginPath();
    var x = box.l - pad, y = box.t - pad, w = box.w + 2 * pad, h = box.h + 2 * pad, r = 4;
    ctx.moveTo(x + r, y); ctx.arcTo(x + w, y, x + w, y + h, r); ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r); ctx.arcTo(x, y, x + w, y, r); ctx.closePath();
    ctx.fillStyle = "rgba(255,255,255,0.94)"; ctx.fill();
    ctx.setLineDash(dashed ? [5, 3] : []); ctx.lineWidth = width; ctx.strokeStyle = BORDER[stance] || "#000"; ctx.stroke();
    ctx.setLineDash([]);
  }
  function drawOverlay(ctx) {
    var dpr = network.canvas.pixelRatio || window.devicePixelRatio || 1;
    var W = container.clientWidth, H = container.clientHeight, placed = [];
    var scale = network.getScale();
    overlayDrawn = { claims: [], regions: [] };
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    function onScreen(b) { return b.l >= 2 && b.t >= 2 && b.r <= W - 2 && b.b <= H - 2; }
    var motion = network.body.nodes.m;
    if (motion && motion.options && !motion.options.hidden && !motion.labelModule.visible()) {
      var mp = network.canvasToDOM(network.getPosition("m"));
      var mb = textBlock(ctx, String(NODE.m.label).split("\n"), mp.x, mp.y, 13, "700");
      if (onScreen(mb)) {
        chip(ctx, mb, "neutral", 6, false, 3);
        drawLines(ctx, String(NODE.m.label).split("\n"), mb, 13, "#000");
        placed.push({ l: mb.l - 8, r: mb.r + 8, t: mb.t - 8, b: mb.b + 8 });
      }
    }
    function claimChip(id, strong) {  // the short title over a claim whose own label is not drawn; true when drawn
      var node = network.body.nodes[id];
      if (!node || node.options.hidden || hiddenNow[id]) { return false; }
      if (node.labelModule.visible() && node.options.font.size * scale >= D.view.label_min_px + 1) { return false; }  // drawn by vis-network
      var p = network.canvasToDOM({ x: node.x, y: node.y });
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) { return false; }
      tried++;
      var lines = TITLE_LINES[id], b = textBlock(ctx, lines, p.x, p.y, 12, strong ? "700" : "500");
      var room = { l: b.l - 7, r: b.r + 7, t: b.t - 6, b: b.b + 6 };
      if (!onScreen(room) || overlaps(room, placed)) { return false; }
      var c = claims[id.slice(2)];
      chip(ctx, b, c.stance, 4, c.stance === "con", strong ? 3.5 : c.stance === "con" ? 2 : 1.5);
      drawLines(ctx, lines, b, 12, "#111111");
      placed.push(room);
      overlayDrawn.claims.push(id.slice(2));
      return true;
    }
    var tried = 0;
    if (state.claim) { claimChip("c:" + state.claim, true); }  // the selected claim, first
    if (fullView && !compacted) {
      D.regions.forEach(function (g) {
        var p = network.canvasToDOM({ x: g.x, y: g.y });
        var px = g.kind === "side" ? 19 : g.kind === "topic" ? 15 : 13;
        var label = g.kind === "side" ? g.label.toUpperCase() : g.label;
        var b = textBlock(ctx, [label], p.x, p.y, px, g.kind === "topic" ? "600" : "800");
        if (!onScreen(b) || overlaps(b, placed)) { return; }
        ctx.lineJoin = "round"; ctx.lineWidth = 5; ctx.strokeStyle = "rgba(255,255,255,0.92)";
        ctx.font = (g.kind === "topic" ? "600 " : "800 ") + px + "px " + OPTIONS.nodes.font.face;
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
        ctx.strokeText(label, p.x, p.y);
        ctx.fillStyle = INK[g.stance] || "#111";
        ctx.fillText(label, p.x, p.y);
        placed.push({ l: b.l - 6, r: b.r + 6, t: b.t - 4, b: b.b + 4 });
        overlayDrawn.regions.push(g.label);
      });
    }
    for (var i = 0; i < RANK.length && tried < 400 && overlayDrawn.claims.length < 60; i++) {
      if (RANK[i] !== "c:" + state.claim) { claimChip(RANK[i], false); }
    }
    ctx.restore();
  }
  network.on("afterDrawing", drawOverlay);
  if (D.physics) { network.once("stabilizationIterationsDone", markReady); }
  network.once("afterDrawing", function () { if (!D.physics) { markReady(); } });

  // ------------------------------------------------------------ view state (mirrored in the URL hash)
  var state = defaultState();
  function defaultState() {
    return { stances: STANCES.slice(), topic: "", source: "", speaker: "", q: "", match: "", claim: "", focus: false, depth: 1,
             colour: "stance", size: "none", prefs: "evidence", showSources: false, showSpeakers: false };
  }
  function toHash(s) {
    var p = [];
    function add(k, v) { p.push(k + "=" + encodeURIComponent(v).replace(/%2C/g, ",")); }
    if (s.stances.length !== STANCES.length) { add("stance", s.stances.join(",")); }
    if (s.topic) { add("topic", s.topic); }
    if (s.source) { add("source", s.source); }
    if (s.speaker) { add("speaker", s.speaker); }
    if (s.q) { add("q", s.q); }
    if (s.q && s.match) { add("match", s.match); }
    if (s.claim) { add("claim", s.claim); }
    if (s.focus) { add("focus", String(s.depth)); }
    if (s.colour !== "stance") { add("colour", s.colour); }
    if (s.size !== "none") { add("size", s.size); }
    if (s.prefs !== "evidence") { add("prefs", s.prefs); }
    var show = [];
    if (s.showSources) { show.push("sources"); }
    if (s.showSpeakers) { show.push("speakers"); }
    if (show.length) { add("show", show.join(",")); }
    return p.join("&");
  }
  function fromHash(hash) {
    var s = defaultState();
    (hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) { return; }
      var i = part.indexOf("=");
      var k = i < 0 ? part : part.slice(0, i);
      var v;
      try { v = decodeURIComponent(i < 0 ? "" : part.slice(i + 1)); } catch (err) { return; }
      if (k === "stance") {
        var st = v.split(",").filter(function (x) { return STANCES.indexOf(x) >= 0; });
        if (st.length) { s.stances = STANCES.filter(function (x) { return st.indexOf(x) >= 0; }); }
      }
      else if (k === "topic" && topics[v]) { s.topic = v; }
      else if (k === "source" && sources[v]) { s.source = v; }
      else if (k === "speaker" && v.trim()) { s.speaker = v; }  // an id, or text a name, id or role holds
      else if (k === "q") { s.q = v; }
      else if (k === "match" && (v === "only" || v === "near")) { s.match = v; }
      else if (k === "prefs" && v === "none") { s.prefs = "none"; }
      else if (k === "claim" && claims[v]) { s.claim = v; }
      else if (k === "focus") { var d = parseInt(v, 10); s.focus = true; s.depth = d >= 1 && d <= 9 ? d : 1; }
      else if (k === "colour" && v === "grounded" && D.has_metrics) { s.colour = v; }
      else if (k === "size" && v === "strength" && D.has_metrics) { s.size = v; }
      else if (k === "show") { s.showSources = v.split(",").indexOf("sources") >= 0; s.showSpeakers = v.split(",").indexOf("speakers") >= 0; }
    });
    if (!s.claim) { s.focus = false; }
    return s;
  }
  var writingHash = false;
  function saveHash() {
    var h = toHash(state);
    if (("#" + h) === location.hash || (!h && !location.hash)) { return; }
    writingHash = true;
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    writingHash = false;
  }

  // ------------------------------------------------------------ controls
  var $ = function (id) { return document.getElementById(id); };
  var q = $("q"), results = $("results"), panel = $("panel"), panelBody = $("panel-body"), kicker = $("panel-kicker");
  var stanceBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=stance]"));
  function fillSelect(sel, items, label) {
    items.slice().sort(function (a, b) { return label(a).localeCompare(label(b)); }).forEach(function (it) {
      sel.appendChild(el("option", { value: it.id, text: label(it) }));
    });
  }
  fillSelect($("f-topic"), D.topics, function (t) { return t.label; });
  fillSelect($("f-source"), D.sources, function (s) { return s.title; });
  fillSelect($("f-speaker"), D.speakers, function (p) { return p.name; });
  if (!D.has_metrics) { $("analysis-controls").hidden = true; }

  function speakerOption(text) {  // a speaker filter given as text in the address: an option of its own
    var sel = $("f-speaker");
    if (!text || speakers[text] || Array.prototype.some.call(sel.options, function (o) { return o.value === text; })) { return; }
    sel.appendChild(el("option", { value: text, text: "“" + text + "” (name, id or role)" }));
  }
  function syncControls() {
    speakerOption(state.speaker);
    stanceBoxes.forEach(function (b) { b.checked = state.stances.indexOf(b.value) >= 0; });
    $("f-topic").value = state.topic; $("f-source").value = state.source; $("f-speaker").value = state.speaker;
    $("show-sources").checked = state.showSources; $("show-speakers").checked = state.showSpeakers;
    $("colour-grounded").checked = state.colour === "grounded"; $("size-strength").checked = state.size === "strength";
    $("weigh-evidence").checked = state.prefs === "evidence";
    $("focus").checked = state.focus; $("focus-depth").value = String(state.depth);
    if (document.activeElement !== q) { q.value = state.q; }
    $("f-match").value = state.match;
  }

  // ------------------------------------------------------------ the claims shown, as a list
  // The canvas is a picture to a screen reader and out of reach of the keyboard: the same claims, under the same
  // filters, are a list of buttons after the map (visually hidden until it has the focus), by side and most
  // important first. One Tab stop; the arrow keys, Home and End move in it; Enter selects. It holds at most
  // D.view.list_max claims (thousands of buttons would take the page most of a second to lay out, and nobody
  // reads them one by one): the filters and the search narrow it.
  var listEl = $("claim-items"), listItems = {}, listButtons = [], listCurrent = null, listSignature = null, LIST_ORDER = [];
  function buildList() {
    var rankOf = {};
    D.rank.forEach(function (id, i) { rankOf[id] = i; });
    LIST_ORDER = D.claims.slice().sort(function (a, b) {
      return STANCES.indexOf(a.stance) - STANCES.indexOf(b.stance) || rankOf[a.id] - rankOf[b.id];
    });
    syncList(visibleClaims());
    listEl.setAttribute("data-built", "true");
  }
  function focusListItem(b) {
    if (listCurrent && listCurrent !== b) { listCurrent.setAttribute("tabindex", "-1"); }
    listCurrent = b; b.setAttribute("tabindex", "0"); b.focus();
  }
  function shownButtons() { return listButtons; }
  function syncList(shown) {
    var all = LIST_ORDER.filter(function (c) { return shown[c.id]; }), some = all.slice(0, D.view.list_max);
    var signature = some.map(function (c) { return c.id; }).join("\n");
    $("claim-list-n").textContent = all.length > some.length
      ? "(the first " + some.length + " of " + all.length + " shown; narrow them with the filters or the search)"
      : "(" + all.length + " of " + D.claims.length + ")";
    if (signature === listSignature) { return; }
    listSignature = signature;
    var keep = listCurrent && listCurrent.getAttribute("data-claim"), hadFocus = listEl.contains(document.activeElement);
    clear(listEl); listItems = {}; listButtons = []; listCurrent = null;
    var frag = document.createDocumentFragment();
    some.forEach(function (c) {
      var b = el("button", { type: "button", "data-claim": c.id, tabindex: "-1" }, [el("span", { class: "kicker " + c.stance, text: WORDS[c.stance] + ": " }), c.text]);
      listItems[c.id] = b; listButtons.push(b);
      frag.appendChild(el("li", null, [b]));
    });
    listEl.appendChild(frag);
    listCurrent = listItems[keep] || listButtons[0] || null;
    if (listCurrent) { listCurrent.setAttribute("tabindex", "0"); if (hadFocus) { listCurrent.focus(); } }
  }
  listEl.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-claim]");
    if (b) { focusListItem(b); select(b.getAttribute("data-claim"), true, b); }
  });
  listEl.addEventListener("keydown", function (ev) {
    var bs = shownButtons(), i = bs.indexOf(document.activeElement), j = -1;
    if (ev.key === "ArrowDown") { j = Math.min(i + 1, bs.length - 1); }
    else if (ev.key === "ArrowUp") { j = Math.max(i - 1, 0); }
    else if (ev.key === "Home") { j = 0; }
    else if (ev.key === "End") { j = bs.length - 1; }
    if (j >= 0 && bs[j]) { ev.preventDefault(); focusListItem(bs[j]); }
  });

  // ------------------------------------------------------------ what is shown
  var hiddenNow = {};
  NODES.forEach(function (n) { hiddenNow[n.id] = !!n.hidden; });
  var edgeHiddenNow = {};
  EDGES.forEach(function (e) { edgeHiddenNow[e.id] = !!e.hidden; });

  function focusSet() {
    var seen = {}; seen[state.claim] = 0;
    var queue = [state.claim];
    while (queue.length) {
      var cur = queue.shift();
      if (seen[cur] >= state.depth) { continue; }
      (neighbours[cur] || []).forEach(function (n) { if (!(n in seen)) { seen[n] = seen[cur] + 1; queue.push(n); } });
    }
    return seen;
  }
  function matchSet() {  // the search's matches, and with "near" their neighbours; null when search does not filter
    if (!state.match || !state.q) { return null; }
    var found = {};
    search(state.q).forEach(function (c) { found[c.id] = true; });
    if (state.match === "near") {
      Object.keys(found).forEach(function (id) { (neighbours[id] || []).forEach(function (n) { found[n] = true; }); });
    }
    return found;
  }
  function speakersNamed(text) {  // select.speakers_named: the speaker of that id, else every one whose name, id or role holds it
    var out = {};
    if (speakers[text]) { out[text] = true; return out; }
    var t = text.toLowerCase();
    D.speakers.forEach(function (p) {
      if ([p.name, p.id, p.role || ""].some(function (x) { return x.toLowerCase().indexOf(t) >= 0; })) { out[p.id] = true; }
    });
    return out;
  }
  function visibleClaims() {  // select.select: the same rules
    var near = state.focus && state.claim ? focusSet() : null;
    var matched = matchSet();
    var named = state.speaker ? speakersNamed(state.speaker) : null;
    var out = {};
    D.claims.forEach(function (c) {
      var ok = state.stances.indexOf(c.stance) >= 0 &&
        (!state.topic || c.topics.indexOf(state.topic) >= 0) &&
        (!state.source || c.source === state.source) &&
        (!named || !!named[c.speaker]) &&
        (!matched || !!matched[c.id]);
      if (near) { ok = (ok && c.id in near) || c.id === state.claim; }
      if (ok) { out[c.id] = true; }
    });
    return out;
  }
  function apply() {
    var vis_ = visibleClaims();
    var usedSources = {}, usedSpeakers = {}, shown = 0;
    Object.keys(vis_).forEach(function (id) { shown++; usedSources[claims[id].source] = true; usedSpeakers[claims[id].speaker] = true; });
    var nodeChanges = [], edgeChanges = [];
    // Sources and speakers: with a claim selected, only its own, linked to every claim shown that shares it;
    // else the nodes alone (click one to list its claims): thousands of links would be a hairball.
    var sel = state.claim && vis_[state.claim] ? claims[state.claim] : null;
    if (state.showSources) { addExtras("source"); }
    if (state.showSpeakers) { addExtras("speaker"); }
    NODES.forEach(function (n) {
      if (!present[n.id]) { return; }
      var hide;
      if (n.kind === "claim") { hide = !vis_[n.id.slice(2)]; }
      else if (n.kind === "source") { hide = !(state.showSources && usedSources[n.id.slice(2)] && (!sel || sel.source === n.id.slice(2))); }
      else if (n.kind === "speaker") { hide = !(state.showSpeakers && usedSpeakers[n.id.slice(2)] && (!sel || sel.speaker === n.id.slice(2))); }
      else if (n.kind === "junction") { var r = relations[n.id.slice(2)]; hide = !(vis_[r.from] && vis_[r.to]); }
      else { hide = false; }
      if (hide !== hiddenNow[n.id]) { hiddenNow[n.id] = hide; nodeChanges.push({ id: n.id, hidden: hide }); }
    });
    var shownNodes = NODES.filter(function (n) { return present[n.id] && !hiddenNow[n.id] && n.kind !== "junction"; }).map(function (n) { return n.id; });
    var signature = shownNodes.join("\n");
    var changed = signature !== shownBefore;
    fullView = shown === D.claims.length && !state.showSources && !state.showSpeakers;
    shownBefore = signature;
    var moves = changed && (ready || !D.physics) ? arrange(shownNodes, shown < D.claims.length) : [];
    nodeChanges = nodeChanges.concat(moves);
    // vis-network skips drawing a node whose box, as last drawn, is out of view (and then measures it where it
    // is now): a node moved into view is drawn only by the drawing after next, so ask for that one too.
    if (moves.length) { network.once("afterDrawing", function () { requestAnimationFrame(function () { network.redraw(); }); }); }
    EDGES.forEach(function (e) {
      if (!present[e.id]) { return; }
      var hide = hiddenNow[e.from] || hiddenNow[e.to];
      if (e.kind === "source") { hide = hide || !state.showSources || !sel; }
      if (e.kind === "speaker") { hide = hide || !state.showSpeakers || !sel; }
      if (hide !== edgeHiddenNow[e.id]) { edgeHiddenNow[e.id] = hide; edgeChanges.push({ id: e.id, hidden: hide }); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); restyleOwn(); }
    $("count").textContent = shown + " of " + D.claims.length + " claims shown";
    syncList(vis_);
    document.querySelector(".legend-extra").hidden = !(state.showSources || state.showSpeakers);
    document.querySelector(".legend-sources").hidden = !state.showSources;
    document.querySelector(".legend-speakers").hidden = !state.showSpeakers;
    applyStyle();
    syncControls();
    saveHash();
    return changed;
  }
  // Apply the state; when that changed what is shown, fit the view to it (animated for the user's actions).
  function refresh(animate) { if (apply()) { fitView(animate); } }

  // ------------------------------------------------------------ the view: a few claims close together, fitted
  var HOME = {};  // node id -> where the layout put it
  NODES.forEach(function (n) { HOME[n.id] = { x: n.x, y: n.y }; });
  var at = {};  // node id -> where it is drawn now, when that is not HOME
  var shownBefore = null, fullView = true, compacted = false, compactAt = 0;
  var measure = document.createElement("canvas").getContext("2d");
  function boxSize(id) {  // [width, height] of a node in canvas units: as drawn, or as vis-network will size it
    var bb = network.getBoundingBox(id);
    if (bb && bb.right - bb.left > 1) { return [bb.right - bb.left, bb.bottom - bb.top]; }
    var n = NODE[id], g = OPTIONS.groups[n.group] || {};
    var size = (g.font && g.font.size) || OPTIONS.nodes.font.size, margin = g.margin || OPTIONS.nodes.margin;
    measure.font = size + "px " + OPTIONS.nodes.font.face;
    var rows = String(n.label || "").split("\n"), w = 0;
    rows.forEach(function (r) { w = Math.max(w, measure.measureText(r).width); });
    var h = rows.length * size * 1.2, border = 2 * ((g.borderWidth || 1) + 1);
    if (g.shape === "ellipse") { return [w + h + border, 2 * h + border]; }
    return [w + 2 * margin + border, h + 2 * margin + border];
  }
  function viewArea() {  // the part of the map not under the phone's bottom sheet
    var w = container.clientWidth, h = container.clientHeight, cover = 0;
    if (phone.matches && panel.classList.contains("open")) {
      cover = Math.max(0, container.getBoundingClientRect().bottom - panel.getBoundingClientRect().top);
      cover = Math.min(cover, h * 0.6);
    }
    return { w: w, h: h - cover, cover: cover };
  }
  var PAD = 24;  // screen pixels around a fitted view
  // A filtered set of a few claims is drawn closer together, so that it can be read when fitted: the layout's
  // positions are scaled towards their centre until they fit the view at D.view.read_scale, then boxes that
  // overlap are pushed apart. The picture keeps its shape; clearing the filter puts every claim back.
  function compact(ids) {
    var P = ids.map(function (id) { return { x: HOME[id].x, y: HOME[id].y }; }), S = ids.map(boxSize);
    var minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity, maxw = 0, maxh = 0;
    P.forEach(function (p, i) {
      minx = Math.min(minx, p.x); maxx = Math.max(maxx, p.x); miny = Math.min(miny, p.y); maxy = Math.max(maxy, p.y);
      maxw = Math.max(maxw, S[i][0]); maxh = Math.max(maxh, S[i][1]);
    });
    var rs = compactAt || readScale(), a = viewArea(), roomW = (a.w - 2 * PAD) / rs - maxw, roomH = (a.h - 2 * PAD) / rs - maxh;
    var k = Math.max(1e-4, Math.min(1, roomW / Math.max(maxx - minx, 1), roomH / Math.max(maxy - miny, 1)));
    var cx = (minx + maxx) / 2, cy = (miny + maxy) / 2, GAP = 20, roomX = Math.max(roomW + maxw, 1), roomY = Math.max(roomH + maxh, 1);
    if (phone.matches && ids.length > 3) { return grid(ids, P, S, roomX, cx, cy, GAP); }
    P.forEach(function (p) { p.x = cx + (p.x - cx) * k; p.y = cy + (p.y - cy) * k; });
    for (var it = 0; it < 100; it++) {
      var moved = false, bx0 = Infinity, bx1 = -Infinity, by0 = Infinity, by1 = -Infinity;
      P.forEach(function (p) { bx0 = Math.min(bx0, p.x); bx1 = Math.max(bx1, p.x); by0 = Math.min(by0, p.y); by1 = Math.max(by1, p.y); });
      // the way the arrangement is fuller, measured against the room, costs more to grow
      var fullX = (bx1 - bx0 + maxw) / roomX, fullY = (by1 - by0 + maxh) / roomY;
      for (var i = 0; i < P.length; i++) {
        for (var j = i + 1; j < P.length; j++) {
          var dx = P[j].x - P[i].x, dy = P[j].y - P[i].y;
          var ox = (S[i][0] + S[j][0]) / 2 + GAP - Math.abs(dx), oy = (S[i][1] + S[j][1]) / 2 + GAP - Math.abs(dy);
          if (ox <= 0 || oy <= 0) { continue; }
          moved = true;
          // push apart the shorter way (against the boxes' sizes), and rather the way there is room
          if (ox / (S[i][0] + S[j][0]) * fullX <= oy / (S[i][1] + S[j][1]) * fullY) { var sx = dx >= 0 ? ox / 2 : -ox / 2; P[i].x -= sx; P[j].x += sx; }
          else { var sy = dy >= 0 ? oy / 2 : -oy / 2; P[i].y -= sy; P[j].y += sy; }
        }
      }
      if (!moved) { break; }
    }
    // pushed apart, a star of many neighbours can outgrow the room, and the view would fit it only too small to
    // be read: rows of as many as the width takes keep every label at the reading size
    var gx0 = Infinity, gx1 = -Infinity, gy0 = Infinity, gy1 = -Infinity;
    P.forEach(function (p) { gx0 = Math.min(gx0, p.x); gx1 = Math.max(gx1, p.x); gy0 = Math.min(gy0, p.y); gy1 = Math.max(gy1, p.y); });
    if (ids.length > 3 && (gx1 - gx0 + maxw > roomX + 1 || gy1 - gy0 + maxh > roomY + 1)) {
      ids.forEach(function (id, i) { P[i] = { x: HOME[id].x, y: HOME[id].y }; });
      return grid(ids, P, S, roomX, cx, cy, GAP);
    }
    var out = {};
    ids.forEach(function (id, i) { out[id] = { x: Math.round(P[i].x), y: Math.round(P[i].y) }; });
    return out;
  }
  // On a phone a few claims are set in rows of as many as the width takes at readScale(), top to bottom and left to
  // right as the layout had them: pushed apart, a narrow screen would fit them only too small to be read.
  function grid(ids, P, S, roomX, cx, cy, GAP) {
    var idx = ids.map(function (id, i) { return i; });
    var lone = idx.filter(function (i) { return NODE[ids[i]].kind !== "claim"; });  // the motion: a row of its own, first
    var rest = idx.filter(function (i) { return NODE[ids[i]].kind === "claim"; });
    var cw = 0;
    rest.forEach(function (i) { cw = Math.max(cw, S[i][0]); });
    cw += GAP;
    var cols = Math.max(1, Math.min(rest.length, Math.floor(roomX / cw)));
    rest.sort(function (a, b) { return P[a].y - P[b].y || P[a].x - P[b].x; });
    var rows = lone.map(function (i) { return [i]; });
    for (var r = 0; r * cols < rest.length; r++) {
      rows.push(rest.slice(r * cols, (r + 1) * cols).sort(function (a, b) { return P[a].x - P[b].x; }));
    }
    var heights = rows.map(function (row) { return Math.max.apply(null, row.map(function (i) { return S[i][1]; })) + GAP; });
    var total = heights.reduce(function (a, b) { return a + b; }, 0), y = cy - total / 2, out = {};
    rows.forEach(function (row, r) {
      var w = row.length === 1 ? 0 : cw;
      row.forEach(function (i, k) { out[ids[i]] = { x: Math.round(cx + (k - (row.length - 1) / 2) * w), y: Math.round(y + heights[r] / 2) }; });
      y += heights[r];
    });
    return out;
  }
  // The zoom at which these nodes could be drawn in the view with room to spare: the reading zoom, or else
  // (a small window, a notebook's frame) the phone's, still above the size from which labels are drawn;
  // 0 when neither leaves room.
  function roomyAt(ids) {
    var a = viewArea(), area = 0;
    ids.forEach(function (id) { var s = boxSize(id); area += (s[0] + 20) * (s[1] + 20); });
    var scales = [readScale(), Math.min(readScale(), D.view.phone_read_scale)];
    for (var i = 0; i < scales.length; i++) {
      if (2 * area * scales[i] * scales[i] <= (a.w - 2 * PAD) * (a.h - 2 * PAD)) { return scales[i]; }
    }
    return 0;
  }
  // The zoom a few claims are drawn close together for: labels at full size on a wide screen; on a phone a
  // little smaller (still above the size from which labels are drawn), so that a column of them fits.
  function readScale() { return phone.matches ? D.view.phone_read_scale : D.view.read_scale; }
  // Position changes for every node: compacted (a filtered set, or a whole debate small enough to be read at
  // once), or back home.
  function arrange(ids, filtered) {
    compactAt = filtered ? 0 : roomyAt(ids);
    compacted = ids.length <= D.view.compact_limit && (filtered || compactAt > 0);
    var want = compacted ? compact(ids) : {};
    var changes = [];
    function place(id, p) {
      var now = at[id] || HOME[id];
      if (p.x !== now.x || p.y !== now.y) { changes.push({ id: id, x: p.x, y: p.y }); }
      if (p.x === HOME[id].x && p.y === HOME[id].y) { delete at[id]; } else { at[id] = p; }
    }
    NODES.forEach(function (n) { if (present[n.id] && n.kind !== "junction") { place(n.id, want[n.id] || HOME[n.id]); } });
    NODES.forEach(function (n) {  // an undercut's junction stays in the middle of the link it is on
      if (n.kind !== "junction") { return; }
      var r = relations[n.id.slice(2)], a = at["c:" + r.from] || HOME["c:" + r.from], b = at["c:" + r.to] || HOME["c:" + r.to];
      place(n.id, want["c:" + r.from] || want["c:" + r.to] ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : HOME[n.id]);
    });
    return changes;
  }
  // Camera animations under way (vis-network ends one, with this event, when a newer one starts), and the
  // view the last one is going to: it can end a step past it, so the view is put exactly there at the end.
  var moving = 0, goal = null, MOVE_MS = 450;
  network.on("animationFinished", function () {
    if (moving > 0 && --moving === 0 && goal) { network.moveTo(goal); checkLines(); }
  });
  // Fit the view to what is shown, never zooming in beyond D.view.fit_max_scale; on a phone, above the sheet.
  function fitView(animate) {
    var ids = network.body.nodeIndices.filter(function (id) { return NODE[id] && NODE[id].kind !== "junction"; });
    if (!ids.length) { return; }
    var minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity;
    var pos = network.getPositions(ids);
    ids.forEach(function (id) {
      var p = pos[id], s = boxSize(id);
      minx = Math.min(minx, p.x - s[0] / 2); maxx = Math.max(maxx, p.x + s[0] / 2);
      miny = Math.min(miny, p.y - s[1] / 2); maxy = Math.max(maxy, p.y + s[1] / 2);
    });
    var a = viewArea();
    var scale = Math.min((a.w - 2 * PAD) / Math.max(maxx - minx, 1), (a.h - 2 * PAD) / Math.max(maxy - miny, 1), D.view.fit_max_scale);
    goal = { position: { x: (minx + maxx) / 2, y: (miny + maxy) / 2 }, scale: scale, offset: { x: 0, y: -a.cover / 2 }, animation: false };
    if (animate) {
      moving++;
      network.moveTo({ position: goal.position, scale: scale, offset: goal.offset, animation: { duration: MOVE_MS, easingFunction: "easeInOutQuad" } });
    } else {
      network.moveTo(goal);
      checkLines();
    }
  }

  // A claim's verdict (grounded label, reason, strength) under the preferences chosen: weighed by evidence (the
  // default, as argmap analyze) or plain Dung (every attack defeats), from the analysis run both ways.
  function verdict(c) {
    if (!c.m) { return null; }
    if (state.prefs === "none" && c.m0) { return { grounded: c.m0.grounded, reason: c.m0.reason, strength: c.m0.strength, settled: c.m0.settled }; }
    return c.m;
  }
  var styled = { colour: "stance", size: "none", prefs: "evidence" };
  function applyStyle() {
    if (styled.colour === state.colour && styled.size === state.size && styled.prefs === state.prefs) { return; }
    var changes = [];
    D.claims.forEach(function (c) {
      var ch = { id: "c:" + c.id };
      var g = OPTIONS.groups[c.stance].color;
      var v = verdict(c);
      if (state.colour === "grounded" && v && v.grounded) {
        var fill = D.grounded_colours[v.grounded];
        ch.color = { background: fill, border: g.border, highlight: { background: fill, border: g.border }, hover: { background: fill, border: g.border } };
      } else {
        ch.color = g;
      }
      ch.value = state.size === "strength" && v && v.strength !== null && v.strength !== undefined ? v.strength : 0.5;
      changes.push(ch);
    });
    // Under the grounded fill the side stays in a heavy border (vis-network takes a node's border width from its
    // group), its shape and its label's first word.
    var groups = {};
    STANCES.forEach(function (st) {
      groups[st] = JSON.parse(JSON.stringify(OPTIONS.groups[st]));
      if (state.colour === "grounded") { groups[st].borderWidth = 4; }
    });
    network.setOptions({ groups: groups, nodes: { scaling: { label: { enabled: state.size === "strength" } } } });
    nodes.update(changes);
    document.querySelector(".legend-grounded").hidden = state.colour !== "grounded";
    document.querySelector(".legend-size").hidden = state.size !== "strength";
    styled = { colour: state.colour, size: state.size, prefs: state.prefs };
  }

  // ------------------------------------------------------------ the side panel
  function section(title, body) { return body ? [el("h3", { text: title }), body] : []; }
  function claimButton(id, why) {
    var c = claims[id];
    if (!c) { return null; }
    var b = el("button", { type: "button", class: "link" }, [
      el("span", { class: "kicker " + c.stance, text: WORDS[c.stance] + " " }), c.text,
      why ? el("span", { class: "why", text: why }) : null,
    ]);
    b.addEventListener("click", function () { select(id, true, null); });
    return el("li", null, [b]);
  }
  function relationList(rels, end, label) {
    var items = rels.map(function (r) {
      var other = end === "from" ? r.from : claimEnd(r.to);
      var why = label(r) + (r.rationale ? ": " + r.rationale : "");
      return claimButton(other, why);
    }).filter(Boolean);
    return items.length ? el("ul", null, items) : null;
  }
  function fields(pairs) {
    var dl = el("dl");
    pairs.forEach(function (p) { if (p[1]) { dl.appendChild(el("dt", { text: p[0] })); dl.appendChild(el("dd", null, [p[1]])); } });
    return dl.childNodes.length ? dl : null;
  }
  function sourceBlock(s) {
    var href = safeHref(s.url);
    var title = href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: s.title }) : el("span", { text: s.title });
    var parts = [
      el("p", null, [title]),
      fields([
        ["Authors", s.authors ? s.authors.join(", ") : ""],
        ["Publisher", s.publisher || ""], ["Date", s.date || ""], ["Kind", s.kind],
        ["Study design", s.design ? s.design.replace(/-/g, " ") : ""], ["Place", s.place || ""], ["Period", s.period || ""],
        ["Citation", s.citation || ""], ["DOI", s.doi || ""], ["Read in", s.read_in || ""],
      ]),
    ];
    if (s.excerpt) {
      parts.push(el("p", { class: "excerpt", text: "Excerpt only: argmap holds just the quoted passages of this source, not the whole document. Read the original before relying on it." }));
    }
    if (s.note) { parts.push(el("p", { class: "meta", text: s.note })); }
    return el("div", null, parts);
  }
  var panelView = "glance";
  function showPanel(kickerText, kickerClass, children, view) {
    kicker.textContent = kickerText; kicker.className = "kicker " + (kickerClass || "");
    clear(panelBody);
    children.forEach(function (c) { if (c) { panelBody.appendChild(c); } });
    var h = panelBody.querySelector("h2");
    if (h) { h.setAttribute("tabindex", "-1"); h.id = "panel-title"; }
    panelView = view || "other";
    $("to-glance").hidden = panelView === "glance";
    panel.classList.add("open");
    $("open-glance").setAttribute("aria-expanded", "true");
    panel.scrollTop = 0;
  }
  function focusHeading() {
    var h = panelBody.querySelector("h2");
    if (h) { h.focus({ preventScroll: true }); }
  }
  // ------------------------------------------------------------ at a glance: per side, from the analysis
  function glanceItem(id, why) {
    var li = claimButton(id, why);
    if (li) { li.firstChild.setAttribute("data-claim", id); }
    return li;
  }
  function glanceList(ids, why, cls, limit) {
    if (!ids.length) { return el("p", { class: "meta", text: "None." }); }
    var ol = el("ol", { class: "glance-list " + cls });
    ids.forEach(function (id, i) {
      var li = glanceItem(id, why(id));
      if (li) { if (limit && i >= limit) { li.hidden = true; li.className = "more"; } ol.appendChild(li); }
    });
    if (!limit || ids.length <= limit) { return ol; }
    var more = el("button", { type: "button", class: "btn more-btn", "aria-expanded": "false", text: "Show all " + ids.length });
    more.addEventListener("click", function () {
      Array.prototype.forEach.call(ol.querySelectorAll("li.more"), function (li) { li.hidden = false; });
      more.remove();
      var first = ol.querySelectorAll("li")[limit];
      if (first) { first.querySelector("button").focus(); }
    });
    return el("div", null, [ol, more]);
  }
  function sourceWhy(id) {
    var G = glanceLists(), c = claims[id], s = sources[c.source], st = G && G.strength[id];
    return (s ? s.title : c.source) + (st !== undefined ? " · strength " + num(st, 2) : "");
  }
  // The glance lists under the preferences chosen (the strongest claims change with them).
  function glanceLists() { return state.prefs === "none" && D.glance0 ? D.glance0 : D.glance; }
  function renderGlance(open) {
    var out = [el("h2", { text: D.motion })];
    out.push(el("p", { class: "hint", text: D.claims.length + " claims, " + D.relations.length + " relations, " + D.sources.length + " sources. Choose a claim below, on the map or in “Claims shown”, or press / to search." }));
    if (D.description) { out.push(el("details", { class: "about" }, [el("summary", { text: "About this debate" }), el("p", { text: D.description })])); }
    var G = glanceLists();
    if (!G) {
      out.push(el("p", { class: "meta", text: "This map was written without the analysis (--no-analysis): the strongest, unanswered and contested claims are not listed." }));
    } else {
      ["pro", "con"].forEach(function (side) {
        var g = G[side], sec = el("section", { class: "glance " + side, "aria-labelledby": "glance-" + side });
        sec.appendChild(el("h3", { id: "glance-" + side, class: "side-h " + side, text: WORDS[side].charAt(0) + WORDS[side].slice(1).toLowerCase() + " the motion" }));
        sec.appendChild(el("h4", { text: "Strongest claims" }));
        sec.appendChild(glanceList(g.strongest, sourceWhy, "strongest"));
        sec.appendChild(el("h4", { text: side === "con" ? "Objections nobody answered" : "Points nobody attacked" }));
        sec.appendChild(glanceList(g.unanswered, sourceWhy, "unanswered", 5));
        sec.appendChild(el("h4", { text: "Most contested" }));
        var rows = {};
        g.contested.forEach(function (r) { rows[r.id] = r; });
        sec.appendChild(glanceList(g.contested.map(function (r) { return r.id; }), function (id) {
          var r = rows[id], parts = [r.attacks_in + " attack" + (r.attacks_in === 1 ? "" : "s") + " on it", r.attacks_out + " by it"];
          if (r.undercuts_in || r.undercuts_out) { parts.push((r.undercuts_in + r.undercuts_out) + " undercut" + (r.undercuts_in + r.undercuts_out === 1 ? "" : "s")); }
          return parts.join(", ");
        }, "contested"));
        out.push(sec);
      });
      out.push(el("p", { class: "meta", text: "Strongest: DF-QuAD strength (supporters against attackers, 0 to 1" + (state.prefs === "none" ? "; plain: every claim starts at 0.5" : "; weighing evidence: claims start from their evidence level, and support lifts a claim only as far as its own evidence allows") + "); nobody answered: no claim attacks or undercuts it; contested: the most attacks and undercuts in and out. The same analyses as argmap analyze." }));
    }
    showPanel("At a glance", "", out, "glance");
    if (!open) { panel.classList.remove("open"); $("open-glance").setAttribute("aria-expanded", "false"); }
  }
  function renderClaim(id) {
    var c = claims[id];
    var sp = speakers[c.speaker] || { name: c.speaker };
    var src = sources[c.source] || { title: c.source };
    var out = [el("h2", { id: "panel-claim", text: c.text }), el("blockquote", { class: "quote " + c.stance, text: c.quote })];
    var who = [sp.name];
    if (sp.role) { who.push(sp.role); }
    if (sp.affiliation) { who.push(sp.affiliation); }
    out.push(el("p", { class: "meta", text: "— " + who.join(", ") }));
    out = out.concat(section("Source", sourceBlock(src)));
    var tags = c.topics.map(function (t) {
      var b = el("button", { type: "button", class: "tag", text: topics[t] ? topics[t].label : t, title: "Show only this topic" });
      b.addEventListener("click", function () { state.topic = t; state.focus = false; refresh(true); });
      return b;
    });
    out = out.concat(section("Topics", tags.length ? el("p", null, tags) : null));
    if (c.figures) { out = out.concat(section("Figures", el("ul", null, c.figures.map(function (f) { return el("li", { text: f }); })))); }
    var inc = incoming[id] || [], outg = outgoing[id] || [];
    function only(rels, type) { return rels.filter(function (r) { return r.type === type; }); }
    out = out.concat(section("Supported by", relationList(only(inc, "supports"), "from", function () { return "supports this"; })));
    out = out.concat(section("Attacked by", relationList(only(inc, "attacks"), "from", function () { return "attacks this"; })));
    var undercuts = [];
    outg.forEach(function (r) { (incoming[r.id] || []).forEach(function (u) { undercuts.push(u); }); });
    out = out.concat(section("Its link undercut by", relationList(undercuts, "from", function (u) { return "undercuts its link to " + (claims[claimEnd(u.to)] ? "“" + claims[claimEnd(u.to)].text + "”" : u.to); })));
    out = out.concat(section("It supports", relationList(only(outg, "supports"), "to", function () { return "this supports it"; })));
    out = out.concat(section("It attacks", relationList(only(outg, "attacks"), "to", function () { return "this attacks it"; })));
    out = out.concat(section("It undercuts", relationList(only(outg, "undercuts"), "to", function (r) {
      var t = relations[r.to];
      return t && claims[t.from] ? "the link from “" + claims[t.from].text + "”" : "a link";
    })));
    if (c.m) {
      var v = verdict(c), label = v.grounded, weighed = state.prefs === "evidence";
      var held = weighed ? (c.m.not_defeated_by || []) : [];
      out = out.concat(section("Analysis", el("div", null, [
        el("p", null, [el("span", { class: "badge " + label, text: (D.grounded_words[label] || label) }), " ", el("span", { class: "meta", text: v.reason || "" })]),
        fields([["Evidence", c.m.evidence_level === null || c.m.evidence_level === undefined ? "" : "level " + c.m.evidence_level + " of 8 · " + (c.m.evidence || "")],
                ["Strength", num(v.strength, 2) + (v.settled === false ? " (did not settle: its cycle of supports and attacks kept moving; the last round's value)" : "")], ["PageRank", num(c.m.pagerank, 4)], ["Betweenness", num(c.m.betweenness, 4)],
                ["Community", c.m.community === null || c.m.community === undefined ? "" : String(c.m.community)]]),
        held.length ? el("div", { class: "held" }, [el("p", { class: "meta", text: "Attacks that do not defeat it:" }),
          el("ul", null, held.map(function (x) { return el("li", { class: "meta", text: x.why }); }))]) : null,
        el("p", { class: "meta", text: (weighed ? "Evidence weighed: an attack defeats a claim only when the attacker's evidence level is at least the claim's (undercuts always do). " : "Plain Dung: every attack defeats. ") +
          "Standing: every attacker is defeated; defeated: a standing claim attacks it (grounded semantics). Strength weighs supporters against attackers, 0 to 1 (DF-QuAD" + (weighed ? "; support lifts a claim only as far as its own evidence allows" : "") + ")." }),
      ].filter(Boolean))));
    }
    if (c.note) { out = out.concat(section("Note", el("p", { text: c.note }))); }
    out.push(el("p", { class: "meta", text: "claim id: " + c.id + " · " + c.kind }));
    showPanel(WORDS[c.stance], c.stance, out, "claim");
  }
  function renderIntro() { renderGlance(!phone.matches); }
  function renderOther(nodeId) {
    var kind = nodeId.slice(0, 2), id = nodeId.slice(2);
    var list = D.claims.filter(function (c) { return kind === "s:" ? c.source === id : c.speaker === id; }).map(function (c) { return claimButton(c.id); });
    if (kind === "s:") { showPanel("Source", "", [el("h2", { text: sources[id].title }), sourceBlock(sources[id]), el("h3", { text: "Claims quoted from it" }), el("ul", null, list)], "other"); }
    else {
      var p = speakers[id];
      showPanel("Speaker", "", [el("h2", { text: p.name }), fields([["Role", p.role || ""], ["Affiliation", p.affiliation || ""], ["Party", p.party || ""], ["Kind", p.type]]), el("h3", { text: "Claims" }), el("ul", null, list)], "other");
    }
  }

  // Where focus goes back to when what a selection opened is closed (Escape, ×): the control it came from.
  var returnTo = null;
  function select(id, moveCamera, from) {
    if (!claims[id]) { return; }
    if (from !== undefined) {
      var a = document.activeElement;
      if (from) { returnTo = from; }
      else if (a && a !== document.body && !panel.contains(a)) { returnTo = a; }
    }
    state.claim = id;
    if (!visibleClaims()[id]) {  // a claim chosen from a list is always shown: drop the filters that hide it
      state.stances = STANCES.slice(); state.topic = ""; state.source = ""; state.speaker = "";
    }
    renderClaim(id);  // first: on a phone the sheet it opens takes room from the map
    var changed = apply();
    network.selectNodes(["c:" + id]);
    if (changed && state.focus) { fitView(true); }  // a new neighbourhood
    else if (moveCamera) { centre(id); }
    if (from !== undefined) { focusHeading(); }
  }
  function giveFocusBack() {
    var t = returnTo;
    returnTo = null;
    if (t && t.isConnected && t.offsetParent !== null && !t.disabled) { t.focus(); return; }
    var item = listItems[lastClaim] || null;
    if (item && item.isConnected) { focusListItem(item); return; }
    q.focus();
  }
  var phone = window.matchMedia("(max-width: 760px)");
  function centre(id) {  // on a phone the bottom sheet covers the lower half: show the claim above it
    var h = container.clientHeight;
    network.focus("c:" + id, { scale: Math.max(network.getScale(), 1.0), offset: { x: 0, y: phone.matches ? -h / 4 : 0 }, animation: false });
  }
  if (phone.matches) { document.getElementById("legend").open = false; }
  function deselect(back) {
    lastClaim = state.claim;
    state.claim = ""; state.focus = false;
    network.unselectAll();
    renderIntro();
    refresh(true);
    if (back) { giveFocusBack(); }
  }
  var lastClaim = "";

  network.on("click", function (p) {
    var id = p.nodes && p.nodes[0];
    if ($("filters").classList.contains("open")) { toggleFilters(false); return; }  // a tap on the map closes the sheet
    if (!id) { if (!p.edges || !p.edges.length) { deselect(); } return; }
    if (id.indexOf("c:") === 0) { select(id.slice(2), phone.matches, container); }
    else if (id.indexOf("s:") === 0 || id.indexOf("p:") === 0) { renderOther(id); }
    else if (id === "m") { deselect(); renderGlance(true); }
  });

  // ------------------------------------------------------------ search
  function clearSearch() {
    q.value = ""; state.q = "";
    if (state.match) { refresh(true); } else { saveHash(); }
  }
  function search(text) {
    var words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { return []; }
    return D.claims.filter(function (c) {
      var hay = (c.text + "\n" + c.quote + "\n" + c.id).toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
  }
  function showResults() {
    var text = q.value.trim();
    state.q = text;
    clear(results);
    if (!text) { results.hidden = true; saveHash(); return; }
    var found = search(text);
    if (found.length) {
      var only = el("button", { type: "button", class: "r-filter", text: state.match ? "Show the whole map again" : "Show only these " + found.length + " on the map" });
      only.addEventListener("click", function () { state.match = state.match ? "" : "only"; closeResults(); refresh(true); q.focus(); });
      results.appendChild(el("li", { class: "r-actions" }, [only]));
    }
    found.slice(0, 50).forEach(function (c) {
      var b = el("button", { type: "button", "data-claim": c.id }, [
        el("span", { class: "r-stance kicker " + c.stance, text: WORDS[c.stance] }), c.text,
        c.quote.toLowerCase().indexOf(text.toLowerCase()) >= 0 || c.text.toLowerCase().indexOf(text.toLowerCase()) < 0 ? el("span", { class: "r-quote", text: "“" + c.quote + "”" }) : null,
      ]);
      b.addEventListener("click", function () { closeResults(); select(c.id, true, q); });
      results.appendChild(el("li", null, [b]));
    });
    if (!found.length) { results.appendChild(el("li", { class: "none", text: "No claim or quote contains “" + text + "”." })); }
    else if (found.length > 50) { results.appendChild(el("li", { class: "none", text: (found.length - 50) + " more: type more words." })); }
    results.hidden = false;
    saveHash();
  }
  function closeResults() { results.hidden = true; }
  function resultButtons() { return Array.prototype.slice.call(results.querySelectorAll("button[data-claim]")); }
  var searchTimer = null;
  q.addEventListener("input", function () {
    showResults();
    if (state.match) {  // the map follows the search as it is typed (after a short pause on a large map)
      clearTimeout(searchTimer);
      searchTimer = setTimeout(function () { refresh(true); }, D.claims.length > 1000 ? 250 : 0);
    }
  });
  q.addEventListener("focus", function () { if (q.value.trim()) { showResults(); } });
  q.addEventListener("keydown", function (ev) {
    var bs = resultButtons();
    if (ev.key === "ArrowDown" && bs.length) { ev.preventDefault(); bs[0].focus(); }
    else if (ev.key === "Enter") { ev.preventDefault(); if (bs.length) { bs[0].click(); } }
  });
  results.addEventListener("keydown", function (ev) {
    var bs = resultButtons(), i = bs.indexOf(document.activeElement);
    if (ev.key === "ArrowDown") { ev.preventDefault(); if (i < bs.length - 1) { bs[i + 1].focus(); } }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); if (i > 0) { bs[i - 1].focus(); } else { q.focus(); } }
  });
  document.addEventListener("click", function (ev) {
    if (!results.hidden && !results.contains(ev.target) && ev.target !== q) { closeResults(); }
    var f = $("filters");
    if (f.classList.contains("open") && phone.matches && !f.contains(ev.target) && ev.target !== $("toggle-filters") && !container.contains(ev.target)) { toggleFilters(false); }
  });

  // ------------------------------------------------------------ keyboard
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable ||
      (t.tagName === "INPUT" && ["text", "search", "number"].indexOf(t.type) >= 0));
    if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { ev.preventDefault(); q.focus(); q.select(); return; }
    if (ev.key === "Escape") {
      if (!results.hidden) { closeResults(); if (results.contains(t)) { q.focus(); } else if (t === q && q.value) { clearSearch(); } return; }
      if (t === q && q.value) { clearSearch(); return; }
      if ($("filters").classList.contains("open")) { toggleFilters(false, true); return; }
      if (state.focus) { state.focus = false; refresh(true); return; }
      if (state.claim) { deselect(true); return; }
      if (panelView !== "glance") { renderIntro(); giveFocusBack(); return; }
      if (phone.matches && panel.classList.contains("open")) { renderIntro(); $("open-glance").focus(); }
    }
  });

  // ------------------------------------------------------------ wiring the controls
  stanceBoxes.forEach(function (b) {
    b.addEventListener("change", function () {
      state.stances = stanceBoxes.filter(function (x) { return x.checked; }).map(function (x) { return x.value; });
      refresh(true);
    });
  });
  [["f-topic", "topic"], ["f-source", "source"], ["f-speaker", "speaker"]].forEach(function (p) {
    $(p[0]).addEventListener("change", function () { state[p[1]] = $(p[0]).value; refresh(true); });
  });
  $("show-sources").addEventListener("change", function () { state.showSources = this.checked; refresh(true); });
  $("show-speakers").addEventListener("change", function () { state.showSpeakers = this.checked; refresh(true); });
  $("colour-grounded").addEventListener("change", function () { state.colour = this.checked ? "grounded" : "stance"; apply(); });
  $("size-strength").addEventListener("change", function () { state.size = this.checked ? "strength" : "none"; apply(); });
  $("weigh-evidence").addEventListener("change", function () {
    state.prefs = this.checked ? "evidence" : "none"; apply();
    if (state.claim) { renderClaim(state.claim); } else if (panelView === "glance" && panel.classList.contains("open")) { renderGlance(true); }
  });
  $("focus").addEventListener("change", function () {
    if (this.checked && !state.claim) { this.checked = false; $("count").textContent = "Select a claim first, then focus on it."; return; }
    state.focus = this.checked; refresh(true);
  });
  $("focus-depth").addEventListener("change", function () {
    var d = parseInt(this.value, 10); state.depth = d >= 1 && d <= 9 ? d : 1; refresh(true);
  });
  $("reset").addEventListener("click", function () { state = defaultState(); q.value = ""; closeResults(); network.unselectAll(); renderIntro(); apply(); fitView(true); });
  $("panel-close").addEventListener("click", function () {
    if (state.claim) { deselect(true); return; }
    renderGlance(false);
    if (phone.matches) { $("open-glance").focus(); } else { giveFocusBack(); }
  });
  $("to-glance").addEventListener("click", function () { if (state.claim) { deselect(); } renderGlance(true); focusHeading(); });
  $("open-glance").addEventListener("click", function () {
    if (panel.classList.contains("open") && panelView === "glance") { renderGlance(false); return; }
    toggleFilters(false);
    returnTo = this;
    renderGlance(true); focusHeading();
  });
  // The skip links move the focus without touching the address (its part after # is the view).
  Array.prototype.forEach.call(document.querySelectorAll("a.skip"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      if (a.getAttribute("href") === "#claim-list") { var b = listCurrent || shownButtons()[0]; if (b) { focusListItem(b); } }
      else { q.focus(); }
    });
  });
  $("f-match").addEventListener("change", function () { state.match = this.value; refresh(true); });
  $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
  // On a phone the filters are a sheet under the top bar (never over its own button or the search box), with a
  // Done button; a tap on the map or Escape closes it too.
  function toggleFilters(open, back) {
    var f = $("filters");
    if (open) {
      closeResults();
      var top = document.querySelector(".bar").getBoundingClientRect().bottom;
      f.style.top = Math.round(top) + "px";
      f.style.maxHeight = Math.max(160, window.innerHeight - top - 40) + "px";
    }
    f.classList.toggle("open", open);
    $("toggle-filters").setAttribute("aria-expanded", open ? "true" : "false");
    if (!open && back) { $("toggle-filters").focus(); }
  }
  $("filters-done").addEventListener("click", function () { toggleFilters(false, true); });
  $("toggle-filters").addEventListener("click", function () { toggleFilters(!$("filters").classList.contains("open")); });

  function restore(animate) {
    state = fromHash(location.hash);
    q.value = state.q;
    if (state.claim) { renderClaim(state.claim); } else { renderIntro(); }
    var changed = apply();
    if (state.claim) { network.selectNodes(["c:" + state.claim]); }
    if (changed && (ready || !fullView || compacted)) { fitView(animate); }  // on opening, vis-network has fitted the full map
    else if (state.claim && animate) { centre(state.claim); }
  }
  window.addEventListener("hashchange", function () { if (!writingHash) { restore(true); } });
  restore(false);  // before the first drawing: the page opens on the fitted view (vis-network fits the full map)
  checkLines();
  performance.mark("argmap:restored");

  // For tests and the curious: read-only views of the state.
  window.argmap = {
    network: network, nodes: nodes, edges: edges,
    state: function () { return JSON.parse(JSON.stringify(state)); },
    visibleClaims: function () { return Object.keys(visibleClaims()).sort(); },
    // the claims an address (a shared link's #hash) would show, by the same rules, without changing the view
    claimsFor: function (hash) {
      var saved = state;
      state = fromHash(hash ? "#" + hash : "");
      try { return Object.keys(visibleClaims()).sort(); } finally { state = saved; }
    },
    drawnClaims: function () { return network.body.nodeIndices.filter(function (i) { return i.indexOf("c:") === 0; }).length; },
    select: function (id) { select(id, true); },
    moving: function () { return moving > 0; },
    overlay: function () { return JSON.parse(JSON.stringify(overlayDrawn)); },  // what the last drawing named over the map
  };
})();
