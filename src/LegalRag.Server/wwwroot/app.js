// LegalRag web UI. Every piece of corpus or answer text is inserted with textContent / text nodes,
// never as HTML, so nothing in a statute or a model's answer can inject markup or script.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { key: null, connection: null, subscription: null, current: null, continueId: null, citation: null, canJudge: false, judged: null, opener: null, versions: null, history: { items: [], page: 0, total: 0, query: null, open: null } };

  // ---------------------------------------------------------------- language of the interface
  // One resource file per language (i18n/<lang>.json, the same keys in each). The interface language is the
  // user's choice if remembered, else the browser's first supported language, else English. The answer language is
  // separate: it follows the question (or the "Answer language" choice), as the server decides.
  const languages = ["de", "en", "et", "fr", "nl"];
  const i18n = { lang: "en", locale: "en", strings: {}, renderers: [] };
  const stored = () => { try { return localStorage.getItem("legalrag.uiLanguage"); } catch { return null; } };

  function pickLanguage() {
    const remembered = stored();
    if (languages.includes(remembered)) return { lang: remembered, locale: localeFor(remembered) };
    for (const tag of navigator.languages || [navigator.language]) {
      const lang = String(tag).toLowerCase().split("-")[0];
      if (languages.includes(lang)) return { lang, locale: tag };
    }
    return { lang: "en", locale: "en" };
  }
  // The browser's own regional variant where it has one for this language (de-AT, fr-BE), else the bare language.
  function localeFor(lang) {
    return (navigator.languages || []).find((tag) => String(tag).toLowerCase().split("-")[0] === lang) || lang;
  }

  // A string in the interface language with {name} placeholders filled in; a missing key shows as the key.
  function t(key, args) {
    const text = i18n.strings[key] ?? key;
    return args ? text.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m)) : text;
  }
  // A string with a {count}: oneKey where the locale's plural rules say "one" (1 answer; in French 0 and 1), else key.
  // Both keys are named at the call, so the locale test sees them used.
  function tn(key, oneKey, count, args) {
    const one = new Intl.PluralRules(i18n.locale).select(count) === "one";
    return t(one ? oneKey : key, { ...args, count: formatNumber(count) });
  }
  const formatNumber = (n, digits = 0) => new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
  // Calendar days ("2020-03-05") are dates without a time zone: format them at noon UTC so no zone moves the day.
  // Anything after the day (a server writing "2020-03-05T00:00:00") is ignored; what is not a day is shown as it came.
  function formatDay(day) {
    const date = new Date(String(day).slice(0, 10) + "T12:00:00Z");
    return Number.isNaN(date.getTime()) ? String(day) : new Intl.DateTimeFormat(i18n.locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
  }
  // dateStyle/timeStyle cannot be combined with timeZoneName, so the zone is written after the time.
  const formatInstant = (iso) => new Intl.DateTimeFormat(i18n.locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";

  // Text that depends on the language and on data (an answer's date line): drawn now and again on a language change.
  function localized(el, render) {
    render(el);
    // One renderer per element: an element drawn again (a status line) replaces its earlier one.
    i18n.renderers = i18n.renderers.filter((r) => r.el !== el);
    i18n.renderers.push({ el, render });
    return el;
  }

  async function loadLanguage(lang, locale) {
    const response = await fetch(`i18n/${lang}.json`, { headers: { "Accept": "application/json" } });
    if (!response.ok) throw new Error(`i18n/${lang}.json: ${response.status}`);
    i18n.strings = await response.json();
    i18n.lang = lang;
    i18n.locale = locale;
    applyLanguage();
  }

  function applyLanguage() {
    document.documentElement.lang = i18n.lang;
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const [attribute, data] of [["placeholder", "i18nPlaceholder"], ["title", "i18nTitle"], ["aria-label", "i18nAriaLabel"]])
      for (const el of document.querySelectorAll(`[data-${attribute === "aria-label" ? "i18n-aria-label" : "i18n-" + attribute}]`)) el.setAttribute(attribute, t(el.dataset[data]));
    document.title = t("app.title");
    $("ui-language").value = i18n.lang;
    i18n.renderers = i18n.renderers.filter((r) => r.el.isConnected);
    for (const r of i18n.renderers) r.render(r.el);
  }

  $("ui-language").addEventListener("change", async () => {
    const lang = $("ui-language").value;
    try { localStorage.setItem("legalrag.uiLanguage", lang); } catch { /* private mode: chosen for this page only */ }
    await loadLanguage(lang, localeFor(lang));
  });

  // The law's date: today (the user's calendar day) unless the user picks another.
  const today = () => { const d = new Date(); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10); };
  $("as-of").value = today();

  // ---------------------------------------------------------------- key
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("key")) {
    sessionStorage.setItem("legalrag.key", hash.get("key"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  state.key = sessionStorage.getItem("legalrag.key");

  // method: GET without a body, POST with one, unless named (DELETE).
  async function api(path, body, method) {
    const response = await fetch(path, {
      method: method || (body === undefined ? "GET" : "POST"),
      headers: { "Authorization": "Bearer " + state.key, "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) { showLogin(t("login.rejected")); throw new Error("unauthorized"); }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
      throw new Error(detail);
    }
    return response.status === 204 ? null : response.json();
  }

  function showLogin(message) {
    $("app").hidden = true;
    $("tabs").hidden = true;
    $("skip").hidden = true; // its target, the signed-in main area, is not on this screen
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
    $("tabs").hidden = false;
    $("skip").hidden = false;
    $("who").textContent = `${me.name} · ${me.role} · ${me.answerMode} · ${me.searchMode}`;
    // Evaluators and admins may mark citations right or wrong (POST /api/feedback checks the role again).
    state.canJudge = me.role === "evaluator" || me.role === "admin";
    const corpora = await api("/api/corpora");
    const select = $("corpus");
    const all = new Option(t("corpus.all"), "");
    all.dataset.i18n = "corpus.all";
    select.replaceChildren(all);
    for (const c of corpora) select.add(new Option(`${c.name} (${c.language})`, c.name));
    await connect();
    // Start in the question box, unless the user has already moved somewhere while the app was loading.
    if (!document.activeElement || document.activeElement === document.body) $("question").focus();
    // The UI is usable from here: the mark the load-time measurement reads (performance.getEntriesByName).
    performance.mark("legalrag:interactive");
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
  const tabs = [$("tab-chat"), $("tab-search"), $("tab-history")];
  function selectTab(tab) {
    // The history list is fetched each time its view is chosen, so it shows what the server keeps now.
    if (tab.id === "tab-history" && $("panel-history").hidden) showHistoryList();
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
      } else if (e.key === "Home" || e.key === "End") {
        e.preventDefault();
        selectTab(tabs[e.key === "Home" ? 0 : tabs.length - 1]);
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
      localized(chip, (c) => c.setAttribute("aria-label", t("chat.showCitation", { citation: citation.citation })));
      chip.addEventListener("click", () => openProvision(citation.provisionId, citation, message.question, chip));
    }
  }

  // The date line under an answer: the day the law was taken as of, and where that day came from. The server's
  // done item names both (asOf, asOfSource); a server that does not name them answered for the day it was asked for.
  function asOfLine(el, asOf, source) {
    const key = source === "question" ? "asOf.question" : source === "user" ? "asOf.user" : "asOf.today";
    localized(el, (e) => { e.textContent = t(key, { date: formatDay(asOf) }); });
  }

  $("ask-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const question = $("question").value.trim();
    if (!question || state.subscription) return;
    const asOf = $("as-of").value || today();
    const requestedSource = asOf === today() ? "today" : "user";
    $("question").value = "";
    const asked = addMessage("user", "");
    asked.tabIndex = -1;
    asked.append(localized(document.createElement("span"), (s) => { s.className = "visually-hidden"; s.textContent = t("chat.youAsked") + ": "; }), document.createTextNode(question));
    const el = addMessage("assistant", "");
    el.append(localized(document.createElement("span"), (s) => { s.className = "visually-hidden"; s.textContent = t("chat.answer") + ": "; }));
    el.setAttribute("aria-busy", "true");
    const message = { el, body: document.createElement("div"), text: "", citations: [], question };
    el.append(message.body);
    state.current = message;
    $("ask").disabled = true;
    $("stop").disabled = false;
    announce(t("chat.answering"));
    try { await connect(); } catch (err) { fail(el, t("chat.connectionFailed", { error: err.message || err })); finish(); return; }
    state.subscription = state.connection.stream("Ask", { question, corpus: $("corpus").value || null, language: $("language").value, asOf, conversationId: state.continueId }).subscribe({
      next: (item) => {
        switch (item.type) {
          // The answer's own language (it follows the question), so screen readers read it with the right voice.
          case "start": if (item.language) message.body.lang = item.language; break;
          case "token": message.text += item.text; renderAnswer(message); break;
          case "notice": {
            const n = document.createElement("p");
            n.className = "notice";
            n.textContent = item.text;
            el.insertBefore(n, message.body);
            break;
          }
          case "citation": message.citations.push(item.citation); break;
          case "done": {
            renderAnswer(message);
            if (item.refused) {
              el.classList.add("refused");
              const why = document.createElement("p");
              why.className = "notice";
              localized(why, (w) => { w.textContent = t("chat.refused"); });
              el.insertBefore(why, message.body);
            }
            const date = document.createElement("div");
            date.className = "as-of";
            asOfLine(date, item.asOf || asOf, item.asOfSource || requestedSource);
            const meta = document.createElement("div");
            meta.className = "meta";
            localized(meta, (m) => { m.textContent = `${item.mode} · ${t("chat.duration", { ms: formatNumber(Math.round(item.timings.totalMs)) })}`; });
            el.append(date, meta);
            // Every answer names the conversation it was recorded in, and the next question names it back: a connection
            // that reconnected on its own is a new one on the server, and continues this conversation (its follow-up
            // context read from history) instead of starting another. A continued conversation deleted meanwhile is
            // recorded into a new one; this follows it.
            if (item.conversationId) state.continueId = item.conversationId;
            // Recorded on the server: this answer can go into the case file at once.
            if (item.conversationId && item.exchange) el.append(exportButtons(item.conversationId, item.exchange, "chat.exportAnswer"));
            el.removeAttribute("aria-busy");
            announce(t("chat.answered", { text: message.text }) + " " + date.textContent);
            break;
          }
        }
        el.scrollIntoView({ block: "end" });
      },
      complete: finish,
      error: (err) => { fail(el, t("chat.failed", { error: err.message || err })); finish(); },
    });
  });

  // An error inside the answer it belongs to, and said once through the alert role.
  function fail(el, text) {
    const p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    el.append(p);
    el.removeAttribute("aria-busy");
  }

  function announce(text) {
    // Cleared first so the same words twice are still announced twice.
    $("announcer").textContent = "";
    requestAnimationFrame(() => { $("announcer").textContent = text; });
  }

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
      localized(p, (x) => { x.textContent = t("chat.stopped"); });
      state.current?.el.append(p);
      state.current?.el.removeAttribute("aria-busy");
      announce(t("chat.stopped"));
      finish();
    }
  });

  $("reset").addEventListener("click", async () => {
    $("messages").replaceChildren();
    state.continueId = null;
    if (state.connection) await state.connection.invoke("Reset");
    $("question").focus();
  });

  // ---------------------------------------------------------------- history
  // The user's conversations as the server keeps them: listed latest first, searched, reopened with the citations
  // as they were recorded, exported for the case file, deleted after a confirmation.
  const pageSize = 20;

  async function showHistoryList() {
    $("history-detail").hidden = true;
    $("history-browse").hidden = false;
    state.history.open = null;
    state.history.query = null;
    await loadHistoryPage(1);
  }

  async function loadHistoryPage(page) {
    const status = $("history-status");
    let response;
    try { response = await api(`/api/history?page=${page}&pageSize=${pageSize}`); }
    catch (err) { status.textContent = t("history.failed", { error: err.message }); return; }
    state.history.items = page === 1 ? response.items : state.history.items.concat(response.items);
    state.history.page = page;
    state.history.total = response.total;
    renderHistoryList();
  }

  // Draws the list from what was fetched (again on a change of language: the dates are the locale's).
  function renderHistoryList() {
    const list = $("history-list");
    const h = state.history;
    list.replaceChildren();
    if (h.query !== null) {
      for (const r of h.results) list.append(historyEntry(r.conversationId, r.title, () => t("history.hit", { when: formatInstant(r.askedAt), question: r.question }), r.snippet));
      localized($("history-status"), (e) => { e.textContent = h.results.length ? tn("history.found", "history.foundOne", h.results.length, { query: h.query }) : t("history.noHits", { query: h.query }); });
      $("history-more").hidden = true;
      return;
    }
    for (const c of h.items) list.append(historyEntry(c.id, c.title, () => tn("history.entry", "history.entryOne", c.exchanges, { when: formatInstant(c.updatedAt) })));
    localized($("history-status"), (e) => { e.textContent = h.total ? tn("history.count", "history.countOne", h.total) : t("history.empty"); });
    $("history-more").hidden = h.items.length >= h.total;
  }

  // One conversation in the list: a button that opens it (its title, then when and how many answers) and, for a
  // search hit, the matching words marked.
  function historyEntry(id, title, details, snippet) {
    const li = document.createElement("li");
    const open = document.createElement("button");
    open.type = "button";
    open.className = "history-open";
    const name = document.createElement("span");
    name.className = "history-name";
    name.textContent = title;
    open.append(name, localized(document.createElement("span"), (e) => { e.className = "muted history-when"; e.textContent = details(); }));
    open.addEventListener("click", () => openConversation(id));
    li.append(open);
    if (snippet) li.append(marked(snippet, "snippet"));
    return li;
  }

  // Server text with hits marked **so**, as plain and bold text nodes (never markup).
  function marked(text, className) {
    const el = document.createElement("div");
    el.className = className;
    text.split("**").forEach((part, i) => {
      if (i % 2 === 1) { const b = document.createElement("b"); b.textContent = part; el.append(b); }
      else el.append(document.createTextNode(part));
    });
    return el;
  }

  $("history-more").addEventListener("click", () => loadHistoryPage(state.history.page + 1));
  $("history-all").addEventListener("click", () => { $("history-query").value = ""; showHistoryList(); });
  $("history-search-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const query = $("history-query").value.trim();
    if (!query) { await showHistoryList(); return; }
    $("history-status").textContent = t("search.searching");
    let response;
    try { response = await api("/api/history/search?q=" + encodeURIComponent(query) + "&limit=50"); }
    catch (err) { $("history-status").textContent = t("history.failed", { error: err.message }); return; }
    state.history.query = query;
    state.history.results = response.results;
    renderHistoryList();
  });

  async function openConversation(id) {
    let c;
    try { c = await api("/api/history/" + encodeURIComponent(id)); }
    catch (err) { $("history-status").textContent = t("history.failed", { error: err.message }); return; }
    state.history.open = c;
    $("history-browse").hidden = true;
    $("history-detail").hidden = false;
    $("history-title").textContent = c.title;
    localized($("history-when"), (e) => { e.textContent = tn("history.began", "history.beganOne", c.exchanges.length, { when: formatInstant(c.createdAt) }); });
    const list = $("history-exchanges");
    list.replaceChildren();
    for (const x of c.exchanges) list.append(...recordedExchange(c.id, x));
    $("history-title").focus();
  }

  // A recorded exchange as the reopened conversation and a continued chat show it: the question, and the answer with
  // its recorded citations (the chips open the provision and mark what was quoted then), its law's day and exports.
  function recordedExchange(id, x) {
    const asked = document.createElement("div");
    asked.className = "msg user";
    asked.append(localized(document.createElement("span"), (s) => { s.className = "visually-hidden"; s.textContent = t("chat.youAsked") + ": "; }), document.createTextNode(x.question));
    const el = document.createElement("div");
    el.className = "msg assistant" + (x.refused ? " refused" : "");
    el.append(localized(document.createElement("span"), (s) => { s.className = "visually-hidden"; s.textContent = t("chat.answer") + ": "; }));
    if (x.notice) { const n = document.createElement("p"); n.className = "notice"; n.textContent = x.notice; el.append(n); }
    // The recorded citations, with their recorded quotes: the chips open the provision and mark what was quoted then.
    const message = { el, body: document.createElement("div"), text: x.answer || "", citations: x.citations || [], question: x.question };
    if (x.language) message.body.lang = x.language;
    el.append(message.body);
    renderAnswer(message);
    const date = document.createElement("div");
    date.className = "as-of";
    localized(date, (d) => { d.textContent = (x.asOf ? t("asOf.recorded", { date: formatDay(x.asOf) }) : t("asOf.whenAsked")) + " · " + t("history.asked", { when: formatInstant(x.askedAt) }); });
    el.append(date, exportButtons(id, x.number, "chat.exportAnswer"));
    return [asked, el];
  }

  // Continue: the chat shows the conversation as recorded, and the next question is asked in it (the hub loads its
  // exchanges as the follow-up context and records the answer as its next exchange).
  $("history-continue").addEventListener("click", () => {
    const c = state.history.open;
    if (!c) return;
    if (state.subscription) $("stop").click();
    const note = document.createElement("p");
    note.className = "muted continued";
    localized(note, (n) => { n.textContent = t("chat.continuing", { title: c.title }); });
    $("messages").replaceChildren(note);
    for (const x of c.exchanges) $("messages").append(...recordedExchange(c.id, x));
    state.continueId = c.id;
    selectTab($("tab-chat"));
    $("question").focus();
    announce(note.textContent);
  });

  $("history-back").addEventListener("click", async () => {
    const id = state.history.open?.id;
    await showHistoryList();
    // Back on the entry of the conversation just read, else the search box.
    const entry = [...$("history-list").querySelectorAll(".history-open")].find((b, i) => state.history.items[i]?.id === id);
    (entry || $("history-query")).focus();
  });
  $("history-export-docx").addEventListener("click", (e) => download(state.history.open?.id, null, "docx", e.currentTarget));
  $("history-export-md").addEventListener("click", (e) => download(state.history.open?.id, null, "md", e.currentTarget));

  // Delete asks in a modal dialog (not window.confirm, which screen readers and the page's language do not reach well).
  $("history-delete").addEventListener("click", () => {
    const c = state.history.open;
    if (!c) return;
    $("confirm-text").textContent = tn("history.confirmText", "history.confirmTextOne", c.exchanges.length, { title: c.title });
    $("confirm-delete").returnValue = "";
    $("confirm-delete").showModal();
  });
  $("confirm-delete").addEventListener("close", async () => {
    const c = state.history.open;
    if ($("confirm-delete").returnValue !== "delete" || !c) { $("history-delete").focus(); return; }
    try { await api("/api/history/" + encodeURIComponent(c.id), undefined, "DELETE"); }
    catch (err) { $("history-status").textContent = t("history.failed", { error: err.message }); $("history-delete").focus(); return; }
    // The chat's conversation is gone: the next question begins a new one rather than naming it.
    if (state.continueId === c.id) state.continueId = null;
    await showHistoryList();
    $("history-status").textContent = t("history.deleted", { title: c.title });
    $("history-query").focus();
  });

  // Export buttons for one answer (exchange n of a recorded conversation), in a labelled group.
  function exportButtons(id, n, labelKey) {
    const group = document.createElement("div");
    group.className = "exports";
    group.setAttribute("role", "group");
    localized(group, (g) => g.setAttribute("aria-label", t(labelKey, { n: formatNumber(n) })));
    for (const [format, key] of [["docx", "export.docx"], ["md", "export.md"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "export";
      b.dataset.format = format;
      localized(b, (x) => { x.textContent = t(key); });
      b.addEventListener("click", () => download(id, n, format, b));
      group.append(b);
    }
    return group;
  }

  // The export needs the key in a header, so a plain link cannot fetch it: fetch, then hand the file to the
  // browser as a download under the server's file name. Its labels are in the interface language.
  async function download(id, n, format, button) {
    if (!id) return;
    const path = `/api/history/${encodeURIComponent(id)}${n ? "/exchanges/" + n : ""}/export?format=${format}&lang=${encodeURIComponent(i18n.lang)}`;
    try {
      const response = await fetch(path, { headers: { "Authorization": "Bearer " + state.key } });
      if (!response.ok) throw new Error(response.statusText || String(response.status));
      const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") || "")?.[1] || `legalrag-${id}${n ? "-" + n : ""}.${format}`;
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announce(t("export.done", { file: name }));
    } catch (err) {
      announce(t("export.failed", { error: err.message }));
    }
    button?.focus();
  }

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
  // opener: the control that opened the panel, where focus goes back when it closes.
  // A citation's provisionId names the version it cites (…@2006-07-01), so the panel shows the text of that day, not today's.
  async function openProvision(id, citation, question, opener) {
    let p;
    try { p = await api("/api/provisions/" + pathOf(id)); }
    catch (err) {
      const status = opener?.closest("#panel-search") ? $("search-status") : $("announcer");
      status.textContent = t("provision.failed", { error: err.message });
      return;
    }
    if (opener) state.opener = opener;
    state.citation = citation?.citation || p.citation;
    $("copy-status").textContent = "";
    $("provision").hidden = false;
    $("app").classList.add("with-provision");
    const marked = renderProvision(p, citation);
    showFeedback(id, question);
    $("provision-title").focus();
    marked?.scrollIntoView({ block: "center" });
    // The opened version and how it was cited: choosing it again in the timeline shows it as it was opened.
    state.versions = { opened: p.provisionId, citation, shown: p.provisionId, list: [], seq: (state.versions?.seq || 0) + 1 };
    loadVersions(p.provisionId, state.versions.seq);
  }

  const pathOf = (id) => id.split("/").map(encodeURIComponent).join("/");

  // Title, place, source, text and facts of one provision (version); returns the paragraph holding the cited quote.
  function renderProvision(p, citation) {
    $("provision-title").textContent = `${citation?.citation || p.citation}${p.heading ? " — " + p.heading : ""}`;
    $("provision-path").textContent = [p.actTitle || p.act, ...p.pathSegments].filter(Boolean).join(" › ");
    localized($("provision-source"), (e) => { e.textContent = `${p.corpus} · ${p.sourcePath}${citation?.page ? " · " + t("provision.page", { page: formatNumber(citation.page) }) : ""}`; });
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
    for (const note of p.notes || []) appendFact(text, "provision.note", note);
    appendReferences(text, "provision.refersTo", p.refersTo);
    appendReferences(text, "provision.referredToBy", p.referredToBy);
    appendFacts(text, p);
    return marked;
  }

  // ---------------------------------------------------------------- versions: timeline and diff
  // Shown only where the provision has more than one version. Each entry is a button (its dates) followed by its facts
  // in words ("in force today", the amending act, "shown"), so nothing is told by colour or weight alone.
  async function loadVersions(id, seq) {
    const section = $("provision-versions");
    section.hidden = true;
    hideDiff();
    $("versions-status").textContent = "";
    $("versions-error").hidden = true;
    let listing;
    try { listing = await api("/api/provision-versions/" + pathOf(id)); }
    catch { return; } // the text is there; a history that cannot be listed is left out rather than shown broken
    if (seq !== state.versions.seq || listing.versions.length < 2) return;
    state.versions.list = listing.versions;
    const list = $("versions-list");
    list.replaceChildren();
    for (const v of listing.versions) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "version";
      button.dataset.version = v.provisionId;
      localized(button, (b) => { b.textContent = datesOf(v); });
      const facts = document.createElement("span");
      facts.className = "version-facts";
      facts.id = "version-facts-" + listing.versions.indexOf(v);
      button.setAttribute("aria-describedby", facts.id);
      button.addEventListener("click", () => showVersion(v.provisionId));
      li.append(button, facts);
      list.append(li);
    }
    markShown();
    section.hidden = false;
  }

  const dayOrUndated = (d) => (d ? formatDay(d) : t("versions.undated"));
  // "13 March 1804 – 1 July 2006", "since 19 May 2011"; a version the source gives no dates is "undated".
  const datesOf = (v) => validity(v.validFrom, v.validTo)?.() ?? t("versions.undated");

  // aria-current and the words "shown" on the version in the panel; facts redrawn in the interface language.
  function markShown() {
    const shown = state.versions.shown;
    const list = state.versions.list;
    for (const button of $("versions-list").querySelectorAll("button.version")) {
      const v = list.find((x) => x.provisionId === button.dataset.version);
      if (button.dataset.version === shown) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
      localized(button.nextElementSibling, (facts) => {
        facts.replaceChildren();
        const parts = [];
        if (v.inForce) { const b = document.createElement("strong"); b.textContent = t("versions.inForce"); parts.push(b); }
        if (v.repealed) parts.push(document.createTextNode(t("versions.repealed")));
        if (v.changedBy) parts.push(document.createTextNode(v.changedBy));
        if (v.provisionId === shown) { const b = document.createElement("strong"); b.textContent = t("versions.shown"); parts.push(b); }
        for (const part of parts) facts.append(document.createTextNode(" · "), part);
      });
    }
    fillAgainst();
  }

  // "Compare with": every other version, by its dates; the one before the version shown is chosen (for the first, the
  // one after it), so the usual question, what this version changed, is one step away. A chosen one stays chosen
  // while it is not the version shown.
  function fillAgainst() {
    const select = $("versions-against");
    const list = state.versions.list;
    const shown = list.findIndex((v) => v.provisionId === state.versions.shown);
    const kept = select.value && select.value !== state.versions.shown && list.some((v) => v.provisionId === select.value) ? select.value : null;
    select.replaceChildren();
    list.forEach((v, i) => {
      if (i === shown) return;
      const option = document.createElement("option");
      option.value = v.provisionId;
      localized(option, (o) => { o.textContent = datesOf(v); });
      select.append(option);
    });
    const fallback = list[shown > 0 ? shown - 1 : shown + 1];
    select.value = kept ?? fallback?.provisionId ?? "";
    $("versions-compare").disabled = select.options.length === 0;
  }

  // Choosing a version shows its text in the panel; focus stays on the chosen entry and the status line says what is shown.
  async function showVersion(id) {
    const status = $("versions-status");
    const seq = state.versions.seq;
    let p;
    try { p = await api("/api/provisions/" + pathOf(id)); }
    catch (err) { versionsFailed(err); return; }
    if (seq !== state.versions.seq) return;
    $("versions-error").hidden = true;
    state.versions.shown = p.provisionId;
    renderProvision(p, p.provisionId === state.versions.opened ? state.versions.citation : null);
    markShown();
    const v = state.versions.list.find((x) => x.provisionId === p.provisionId);
    status.textContent = t("versions.showing", { dates: v ? datesOf(v) : p.provisionId });
    // An open comparison follows the version shown (against the version chosen under "Compare with").
    if ($("versions-compare").getAttribute("aria-expanded") === "true") {
      if ($("versions-compare").disabled) hideDiff();
      else await showDiff();
    }
  }

  // A failure is said by the status line and stays on screen until the next step succeeds.
  function versionsFailed(err) {
    const text = t("versions.failed", { error: err.message });
    $("versions-status").textContent = text;
    $("versions-error").textContent = text;
    $("versions-error").hidden = false;
  }

  function hideDiff() {
    $("versions-compare").setAttribute("aria-expanded", "false");
    $("versions-diff").hidden = true;
    $("versions-diff").replaceChildren();
  }

  // The word diff between the version shown and the one chosen under "Compare with", the older first (what changed
  // from it to the later one): removed words in <del>, added in <ins>, each with a hidden "removed:"/"added:" for
  // screen readers (which mostly do not say del and ins), under a summary in words.
  async function showDiff() {
    const list = state.versions.list;
    const shownId = state.versions.shown, againstId = $("versions-against").value;
    const shown = list.findIndex((v) => v.provisionId === shownId);
    const against = list.findIndex((v) => v.provisionId === againstId);
    if (shown < 0 || against < 0 || shown === against) return;
    const from = list[Math.min(shown, against)], to = list[Math.max(shown, against)];
    const status = $("versions-status");
    const seq = state.versions.seq;
    let diff;
    try { diff = await api(`/api/provision-diff?from=${encodeURIComponent(from.provisionId)}&to=${encodeURIComponent(to.provisionId)}`); }
    catch (err) { versionsFailed(err); return; }
    // Another version shown or chosen meanwhile: its own request draws the diff.
    if (seq !== state.versions.seq || shownId !== state.versions.shown || againstId !== $("versions-against").value) return;
    $("versions-error").hidden = true;
    const words = (op) => diff.segments.filter((s) => s.op === op).reduce((n, s) => n + s.text.split(/\s+/).filter(Boolean).length, 0);
    const removed = words("delete"), added = words("insert");
    const heading = () => t("versions.diffHeading", { from: dayOrUndated(from.validFrom), to: dayOrUndated(to.validFrom) });
    const summary = () => (diff.changed ? t("versions.summary", { removed: formatNumber(removed), added: formatNumber(added) }) : t("versions.identical"));
    const box = $("versions-diff");
    box.replaceChildren();
    box.append(localized(document.createElement("h4"), (e) => { e.textContent = heading(); }));
    box.append(localized(document.createElement("p"), (e) => { e.className = "diff-summary"; e.textContent = summary(); }));
    const text = document.createElement("p");
    text.className = "diff-text";
    diff.segments.forEach((s, i) => {
      if (i > 0) text.append(document.createTextNode(" "));
      if (s.op === "equal") { text.append(document.createTextNode(s.text)); return; }
      const el = document.createElement(s.op === "delete" ? "del" : "ins");
      el.append(localized(document.createElement("span"), (e) => { e.className = "visually-hidden"; e.textContent = (s.op === "delete" ? t("versions.removed") : t("versions.added")) + " "; }));
      el.append(document.createTextNode(s.text));
      text.append(el);
    });
    box.append(text);
    box.hidden = false;
    $("versions-compare").setAttribute("aria-expanded", "true");
    status.textContent = `${heading()}. ${summary()}`;
  }

  // Choosing another version to compare with redraws an open comparison at once.
  $("versions-against").addEventListener("change", () => {
    if ($("versions-compare").getAttribute("aria-expanded") === "true") showDiff();
  });

  $("versions-compare").addEventListener("click", () => {
    if ($("versions-compare").getAttribute("aria-expanded") === "true") {
      hideDiff();
      $("versions-status").textContent = t("versions.diffHidden");
    } else showDiff();
  });

  // A labelled line of facts under the text ("In force: …", "Source: …"), as text, never as markup.
  // label: the i18n key of the label; value: a string, or a function of nothing giving one in the current language.
  function appendFact(container, label, value, href) {
    const el = document.createElement("p");
    el.className = "fact muted";
    const head = localized(document.createElement("span"), (s) => { s.textContent = t(label) + ": "; });
    el.append(head);
    if (typeof value === "function") {
      el.append(localized(document.createElement("span"), (s) => { s.textContent = value(); }));
      container.append(el);
      return;
    }
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

  // Validity days as the locale writes them ("19 mai 2011 – 1 janv. 2016"); null when neither end is known.
  function validity(from, to) {
    const day = (d) => (/^\d{4}-\d{2}-\d{2}/.test(d) ? formatDay(d.slice(0, 10)) : d);
    if (from && to) return () => `${day(from)} – ${day(to)}`;
    if (from) return () => t("provision.since", { from: day(from) });
    return to ? () => t("provision.until", { to: day(to) }) : null;
  }

  // Validity, identifiers and provenance: where and when the text was taken, so a reader can trace it.
  function appendFacts(container, p) {
    const inForce = validity(p.validFrom, p.validTo) || validity(p.actValidFrom, p.actValidTo);
    if (inForce) appendFact(container, "provision.inForce", inForce);
    const ids = [p.identifier, p.actIdentifier].filter(Boolean);
    if (ids.length) appendFact(container, "provision.identifier", [...new Set(ids)].join(" · "));
    const src = p.provenance;
    if (!src) return;
    const isUrl = /^https?:\/\//i.test(src.source);
    appendFact(container, "provision.source", src.source, isUrl ? src.source : null);
    appendFact(container, "provision.retrieved", () => [src.publisher, formatInstant(src.retrievedAt), "sha256 " + src.contentHash.slice(0, 16) + "…"].filter(Boolean).join(" · "));
  }

  // The cross-reference lists under the text; each entry opens that provision in the same panel.
  function appendReferences(container, label, references) {
    if (!references?.length) return;
    const el = document.createElement("p");
    el.className = "references";
    el.append(localized(document.createElement("span"), (s) => { s.textContent = t(label) + ": "; }));
    references.forEach((r, i) => {
      if (i > 0) el.append(document.createTextNode("; "));
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = r.citation;
      link.addEventListener("click", (e) => { e.preventDefault(); openProvision(r.provisionId, null, null, null); });
      el.append(link);
    });
    container.append(el);
  }

  // ---------------------------------------------------------------- evaluator feedback
  function showFeedback(provisionId, question) {
    state.judged = state.canJudge && question ? { provisionId, question, corpus: $("corpus").value || null } : null;
    $("feedback").hidden = !state.judged;
    // Pressed says which verdict is recorded for this citation, to screen readers as well as on screen.
    for (const id of ["feedback-right", "feedback-wrong"]) $(id).setAttribute("aria-pressed", "false");
    $("feedback-correct").value = "";
    $("feedback-status").textContent = "";
  }

  async function sendFeedback(verdict) {
    if (!state.judged) return;
    const correct = $("feedback-correct").value.trim();
    const language = $("language").value;
    const body = { ...state.judged, verdict, correct: verdict === "wrong" && correct ? correct : null, language: language === "auto" ? null : language };
    const status = $("feedback-status");
    status.textContent = t("feedback.sending");
    try {
      const stored = await api("/api/feedback", body);
      $("feedback-right").setAttribute("aria-pressed", String(stored.verdict === "right"));
      $("feedback-wrong").setAttribute("aria-pressed", String(stored.verdict === "wrong"));
      status.textContent = stored.correct ? t("feedback.recordedWrong", { correct: stored.correct })
        : t("feedback.recorded", { verdict: t(stored.verdict === "right" ? "feedback.verdictRight" : "feedback.verdictWrong") });
    } catch (err) { status.textContent = err.message; }
  }
  $("feedback-right").addEventListener("click", () => sendFeedback("right"));
  $("feedback-wrong").addEventListener("click", () => sendFeedback("wrong"));
  // The right citation is typed after "wrong" in the tab order: Enter in it sends "wrong" with it, no way back needed.
  $("feedback-correct").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); sendFeedback("wrong"); } });

  $("close").addEventListener("click", () => {
    $("provision").hidden = true;
    $("app").classList.remove("with-provision");
    // Back where the reader was: the chip or result that opened the panel, else the question.
    const back = state.opener?.isConnected && !state.opener.closest("[hidden]") ? state.opener : $("question");
    state.opener = null;
    back.focus();
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("provision").hidden) $("close").click(); });

  // The button keeps its name (a name that changes under the focus confuses screen readers); the status line says what happened.
  $("copy").addEventListener("click", async () => {
    if (!state.citation) return;
    const citation = state.citation;
    try { await navigator.clipboard.writeText(citation); $("copy-status").textContent = t("provision.copied", { citation }); }
    catch { $("copy-status").textContent = t("provision.copyFailed", { citation }); }
  });

  // ---------------------------------------------------------------- search
  $("search-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = $("search-status");
    status.textContent = t("search.searching");
    let response;
    try {
      response = await api("/api/search", { query: $("query").value, corpus: $("corpus").value || null, act: $("act").value || null, k: Number($("k").value), asOf: $("as-of").value || null });
    } catch (err) { status.textContent = err.message; return; }
    status.textContent = t("search.summary", { count: formatNumber(response.results.length), ms: formatNumber(Math.round(response.tookMs)) });
    const list = $("results");
    list.replaceChildren();
    for (const r of response.results) {
      const li = document.createElement("li");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "chip";
      open.textContent = r.pinpoint || r.citation;
      const query = $("query").value;
      open.addEventListener("click", () => openProvision(r.provisionId, { citation: r.pinpoint || r.citation, quote: null, page: r.page }, query, open));
      const heading = document.createElement("strong");
      heading.textContent = " " + r.heading;
      const path = document.createElement("div");
      path.className = "muted";
      localized(path, (e) => { e.textContent = `${r.corpus} · ${r.path} · ${t("search.score", { score: formatNumber(r.score, 2) })}${r.repealed ? " · " + t("search.repealed") : ""}`; });
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

  // The interface language first, so the first screen is already in it; English stays if the file cannot load.
  const picked = pickLanguage();
  loadLanguage(picked.lang, picked.locale).catch((err) => console.warn(err.message)).finally(start);
})();
