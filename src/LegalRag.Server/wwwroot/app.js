// LegalRag web UI. Every piece of corpus or answer text is inserted with textContent / text nodes,
// never as HTML, so nothing in a statute or a model's answer can inject markup or script.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { key: null, connection: null, subscription: null, current: null, citation: null, canJudge: false, judged: null };

  // ---------------------------------------------------------------- key
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("key")) {
    sessionStorage.setItem("legalrag.key", hash.get("key"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  state.key = sessionStorage.getItem("legalrag.key");

  async function api(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Authorization": "Bearer " + state.key, "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) { showLogin("The key was not accepted."); throw new Error("unauthorized"); }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
      throw new Error(detail);
    }
    return response.json();
  }

  function showLogin(message) {
    $("app").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("key").focus();
  }

  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.key = $("key").value.trim();
    sessionStorage.setItem("legalrag.key", state.key);
    start();
  });

  async function start() {
    if (!state.key) { showLogin(""); return; }
    let me;
    try { me = await api("/api/me"); } catch { return; }
    $("login").hidden = true;
    $("app").hidden = false;
    $("who").textContent = `${me.name} · ${me.role} · ${me.answerMode} · ${me.searchMode}`;
    // Evaluators and admins may mark citations right or wrong (POST /api/feedback checks the role again).
    state.canJudge = me.role === "evaluator" || me.role === "admin";
    const corpora = await api("/api/corpora");
    const select = $("corpus");
    select.replaceChildren(new Option("All corpora", ""));
    for (const c of corpora) select.add(new Option(`${c.name} (${c.language})`, c.name));
    await connect();
    // Start in the question box, unless the user has already moved somewhere while the app was loading.
    if (!document.activeElement || document.activeElement === document.body) $("question").focus();
  }

  async function connect() {
    if (state.connection) return;
    state.connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/chat", { accessTokenFactory: () => state.key })
      .withAutomaticReconnect()
      .build();
    await state.connection.start();
  }

  // ---------------------------------------------------------------- tabs
  const tabs = [$("tab-chat"), $("tab-search")];
  function selectTab(tab) {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !selected;
    }
    tab.focus();
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        selectTab(tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]);
      }
    });
  });

  // ---------------------------------------------------------------- chat
  function addMessage(kind, text) {
    const el = document.createElement("div");
    el.className = "msg " + kind;
    if (text) el.textContent = text;
    $("messages").append(el);
    el.scrollIntoView({ block: "end" });
    return el;
  }

  // Renders answer text: "[Citation]" markers become chips (in order), "[⚠ …]" becomes a flag.
  function renderAnswer(message) {
    const body = message.body;
    body.replaceChildren();
    const chips = [];
    const pattern = /\[([^\[\]\n]{1,200})\]/g;
    let last = 0, match;
    while ((match = pattern.exec(message.text)) !== null) {
      body.append(document.createTextNode(message.text.slice(last, match.index)));
      const label = match[1];
      if (label.startsWith("⚠")) {
        const flag = document.createElement("span");
        flag.className = "flag";
        flag.textContent = "[" + label + "]";
        body.append(flag);
      } else {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = label;
        chip.dataset.label = label;
        body.append(chip);
        chips.push(chip);
      }
      last = match.index + match[0].length;
    }
    body.append(document.createTextNode(message.text.slice(last)));
    // The i-th citation belongs to the first chip with its label not yet taken.
    const taken = new Set();
    for (const citation of message.citations) {
      const chip = chips.find((c, i) => !taken.has(i) && c.dataset.label === citation.citation);
      if (!chip) continue;
      taken.add(chips.indexOf(chip));
      chip.setAttribute("aria-label", `Show ${citation.citation}`);
      chip.addEventListener("click", () => openProvision(citation.provisionId, citation, message.question));
    }
  }

  $("ask-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const question = $("question").value.trim();
    if (!question || state.subscription) return;
    $("question").value = "";
    addMessage("user", question);
    const el = addMessage("assistant", "");
    const message = { el, body: document.createElement("div"), text: "", citations: [], question };
    el.append(message.body);
    state.current = message;
    $("ask").disabled = true;
    $("stop").disabled = false;
    try { await connect(); } catch (err) { el.textContent = "Connection failed: " + err; finish(); return; }
    state.subscription = state.connection.stream("Ask", { question, corpus: $("corpus").value || null, language: $("language").value }).subscribe({
      next: (item) => {
        switch (item.type) {
          case "token": message.text += item.text; renderAnswer(message); break;
          case "notice": {
            const n = document.createElement("p");
            n.className = "notice";
            n.setAttribute("role", "status");
            n.textContent = item.text;
            el.insertBefore(n, message.body);
            break;
          }
          case "citation": message.citations.push(item.citation); break;
          case "done": {
            renderAnswer(message);
            if (item.refused) el.classList.add("refused");
            const meta = document.createElement("div");
            meta.className = "meta";
            meta.textContent = `${item.mode} · ${Math.round(item.timings.totalMs)} ms`;
            el.append(meta);
            break;
          }
        }
        el.scrollIntoView({ block: "end" });
      },
      complete: finish,
      error: (err) => { const p = document.createElement("p"); p.className = "error"; p.textContent = String(err.message || err); el.append(p); finish(); },
    });
  });

  function finish() {
    state.subscription = null;
    $("ask").disabled = false;
    $("stop").disabled = true;
    $("question").focus();
  }

  $("stop").addEventListener("click", () => {
    if (state.subscription) {
      state.subscription.dispose();
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = "Stopped.";
      state.current?.el.append(p);
      finish();
    }
  });

  $("reset").addEventListener("click", async () => {
    $("messages").replaceChildren();
    if (state.connection) await state.connection.invoke("Reset");
    $("question").focus();
  });

  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("ask-form").requestSubmit(); }
  });

  // ---------------------------------------------------------------- provision panel
  const collapse = (s) => s.replace(/\s+/g, " ").trim();

  // Appends text to a node with the quote, if it occurs, wrapped in <mark>.
  function appendHighlighted(node, text, quote) {
    const q = quote ? collapse(quote) : "";
    const t = collapse(text);
    const at = q.length ? t.indexOf(q) : -1;
    if (at < 0) { node.append(document.createTextNode(t)); return false; }
    const mark = document.createElement("mark");
    mark.textContent = t.slice(at, at + q.length);
    node.append(document.createTextNode(t.slice(0, at)), mark, document.createTextNode(t.slice(at + q.length)));
    return true;
  }

  // Official formats keep tables as Markdown pipe tables inside a paragraph (header, separator, one line per row).
  // The panel shows them as tables again; the text around them stays text. Cells are text, never markup.
  const isTableLine = (line) => /^\s*\|.*\|\s*$/.test(line);
  const isSeparator = (cells) => cells.length > 0 && cells.every((c) => /^:?-{3,}:?$/.test(c.trim()));
  function cellsOf(line) {
    const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
    return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
  }
  function splitTables(text) {
    const parts = [];
    let prose = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (isTableLine(lines[i]) && i + 1 < lines.length && isTableLine(lines[i + 1]) && isSeparator(cellsOf(lines[i + 1]))) {
        if (prose.join("").trim()) parts.push({ text: prose.join("\n") });
        prose = [];
        const rows = [cellsOf(lines[i])];
        i += 2;
        while (i < lines.length && isTableLine(lines[i])) rows.push(cellsOf(lines[i++]));
        i--;
        parts.push({ rows });
      } else prose.push(lines[i]);
    }
    if (prose.join("").trim() || parts.length === 0) parts.push({ text: prose.join("\n") });
    return parts;
  }
  function tableOf(rows) {
    const table = document.createElement("table");
    table.className = "provision-table";
    const head = table.createTHead().insertRow();
    for (const cell of rows[0]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = cell;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows.slice(1)) {
      const tr = body.insertRow();
      for (const cell of row) tr.insertCell().textContent = cell;
    }
    return table;
  }

  // question: what the provision was cited or found for; evaluators judge the provision for it.
  async function openProvision(id, citation, question) {
    const path = id.split("/").map(encodeURIComponent).join("/");
    let p;
    try { p = await api("/api/provisions/" + path); } catch (err) { alert(err.message); return; }
    state.citation = citation?.citation || p.citation;
    $("provision").hidden = false;
    $("app").classList.add("with-provision");
    $("provision-title").textContent = `${citation?.citation || p.citation}${p.heading ? " — " + p.heading : ""}`;
    $("provision-path").textContent = [p.actTitle || p.act, ...p.pathSegments].filter(Boolean).join(" › ");
    $("provision-source").textContent = `${p.corpus} · ${p.sourcePath}${citation?.page ? " · page " + citation.page : ""}`;
    const text = $("provision-text");
    text.replaceChildren();
    let marked = null;
    for (const paragraph of p.paragraphs) {
      const parts = splitTables(paragraph.text);
      // Stored text usually starts with its own "(2)"; add the label only where it does not.
      const label = paragraph.label && !paragraph.text.startsWith(`(${paragraph.label})`) ? `(${paragraph.label}) ` : "";
      parts.forEach((part, i) => {
        if (part.rows) { text.append(tableOf(part.rows)); return; }
        const el = document.createElement("p");
        if (i === 0 && label) el.append(document.createTextNode(label));
        if (appendHighlighted(el, part.text, citation?.quote) && !marked) marked = el;
        text.append(el);
      });
    }
    for (const note of p.notes || []) appendFact(text, "Note", note);
    appendReferences(text, "Refers to", p.refersTo);
    appendReferences(text, "Referred to by", p.referredToBy);
    appendFacts(text, p);
    showFeedback(id, question);
    $("provision-title").focus();
    marked?.scrollIntoView({ block: "center" });
  }

  // A labelled line of facts under the text ("In force: …", "Source: …"), as text, never as markup.
  function appendFact(container, label, value, href) {
    const el = document.createElement("p");
    el.className = "fact muted";
    el.append(document.createTextNode(label + ": "));
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.textContent = value;
      el.append(link);
    } else el.append(document.createTextNode(value));
    container.append(el);
  }

  function validity(from, to) {
    if (from && to) return `${from} – ${to}`;
    if (from) return `since ${from}`;
    return to ? `until ${to}` : null;
  }

  // Validity, identifiers and provenance: where and when the text was taken, so a reader can trace it.
  function appendFacts(container, p) {
    const inForce = validity(p.validFrom, p.validTo) || validity(p.actValidFrom, p.actValidTo);
    if (inForce) appendFact(container, "In force", inForce);
    const ids = [p.identifier, p.actIdentifier].filter(Boolean);
    if (ids.length) appendFact(container, "Identifier", [...new Set(ids)].join(" · "));
    const src = p.provenance;
    if (!src) return;
    const isUrl = /^https?:\/\//i.test(src.source);
    appendFact(container, "Source", src.source, isUrl ? src.source : null);
    const retrieved = new Date(src.retrievedAt).toISOString().slice(0, 16).replace("T", " ") + " UTC";
    appendFact(container, "Retrieved", [src.publisher, retrieved, "sha256 " + src.contentHash.slice(0, 16) + "…"].filter(Boolean).join(" · "));
  }

  // The cross-reference lists under the text; each entry opens that provision in the same panel.
  function appendReferences(container, label, references) {
    if (!references?.length) return;
    const el = document.createElement("p");
    el.className = "references";
    el.append(document.createTextNode(label + ": "));
    references.forEach((r, i) => {
      if (i > 0) el.append(document.createTextNode("; "));
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = r.citation;
      link.addEventListener("click", (e) => { e.preventDefault(); openProvision(r.provisionId); });
      el.append(link);
    });
    container.append(el);
  }

  // ---------------------------------------------------------------- evaluator feedback
  function showFeedback(provisionId, question) {
    state.judged = state.canJudge && question ? { provisionId, question, corpus: $("corpus").value || null } : null;
    $("feedback").hidden = !state.judged;
    $("feedback-correct").value = "";
    $("feedback-status").textContent = "";
  }

  async function sendFeedback(verdict) {
    if (!state.judged) return;
    const correct = $("feedback-correct").value.trim();
    const language = $("language").value;
    const body = { ...state.judged, verdict, correct: verdict === "wrong" && correct ? correct : null, language: language === "auto" ? null : language };
    const status = $("feedback-status");
    status.textContent = "Sending…";
    try {
      const stored = await api("/api/feedback", body);
      status.textContent = stored.correct ? `Recorded: wrong, right is ${stored.correct}` : `Recorded: ${stored.verdict}`;
    } catch (err) { status.textContent = err.message; }
  }
  $("feedback-right").addEventListener("click", () => sendFeedback("right"));
  $("feedback-wrong").addEventListener("click", () => sendFeedback("wrong"));

  $("close").addEventListener("click", () => {
    $("provision").hidden = true;
    $("app").classList.remove("with-provision");
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("provision").hidden) $("close").click(); });

  $("copy").addEventListener("click", async () => {
    if (!state.citation) return;
    try { await navigator.clipboard.writeText(state.citation); $("copy").textContent = "Copied"; }
    catch { $("copy").textContent = state.citation; }
    setTimeout(() => { $("copy").textContent = "Copy citation"; }, 1500);
  });

  // ---------------------------------------------------------------- search
  $("search-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = $("search-status");
    status.textContent = "Searching…";
    let response;
    try {
      response = await api("/api/search", { query: $("query").value, corpus: $("corpus").value || null, act: $("act").value || null, k: Number($("k").value) });
    } catch (err) { status.textContent = err.message; return; }
    status.textContent = `${response.results.length} provisions in ${Math.round(response.tookMs)} ms`;
    const list = $("results");
    list.replaceChildren();
    for (const r of response.results) {
      const li = document.createElement("li");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "chip";
      open.textContent = r.pinpoint || r.citation;
      const query = $("query").value;
      open.addEventListener("click", () => openProvision(r.provisionId, { citation: r.pinpoint || r.citation, quote: null, page: r.page }, query));
      const heading = document.createElement("strong");
      heading.textContent = " " + r.heading;
      const path = document.createElement("div");
      path.className = "muted";
      path.textContent = `${r.corpus} · ${r.path} · score ${r.score.toFixed(2)}${r.repealed ? " · repealed" : ""}`;
      const snippet = document.createElement("div");
      snippet.className = "snippet";
      // Hits come marked **so**; alternate plain and bold text nodes.
      r.snippet.split("**").forEach((part, i) => {
        if (i % 2 === 1) { const b = document.createElement("b"); b.textContent = part; snippet.append(b); }
        else snippet.append(document.createTextNode(part));
      });
      li.append(open, heading, path, snippet);
      list.append(li);
    }
  });

  start();
})();
