// argmap annotate: the debate's map reloads itself when the corpus changes (a save in the annotation page,
// or a file edited by hand). The view (selection, filters) lives in the address's #hash, so it survives.
"use strict";
(function () {
  const me = document.currentScript;
  const shown = me.dataset.version;
  const token = new URLSearchParams(location.search).get("token");
  const headers = token ? { "X-Argmap-Access": token } : {};
  async function check() {
    try {
      const r = await fetch("/api/version", { headers, cache: "no-store" });
      if (r.ok && (await r.json()).version !== shown) { location.reload(); return; }
    } catch (e) { /* the server stopped: try again later */ }
    setTimeout(check, 1500);
  }
  setTimeout(check, 1500);
})();
