/* Correcting the graph from the pages: a signed-in analyst (a token from the server's analysts
 * file, kept in this browser's localStorage) corrects what they read, through POST /api/corrections.
 *
 * On a document page: click a marked claim or figure to reject or change it, select words to add a
 * missed claim or figure, set the article's stance, reject or merge its actors. On a claim, quantity
 * or actor page: the same for that item, and split a merge. In the explorer (explore.js calls
 * `claimgraphCorrections.explorerTools`): the same for the selected node. After a correction the page
 * reloads (or the explorer re-reads the node), so what is shown is what the graph now says. */
(function () {
  "use strict";
  const KEY = "claimgraph.analyst";
  const saved = () => { try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch (e) { return null; } };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => { if (v !== undefined && v !== null) node.setAttribute(k, v); });
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c ?? ""))));
    return node;
  }

  async function signIn(token) {
    const response = await fetch("/api/analyst", { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error((await response.text()).trim());
    const { name } = await response.json();
    localStorage.setItem(KEY, JSON.stringify({ token, name }));
    return name;
  }

  /** Send one correction; the created correction, or an Error naming the bad field. */
  async function post(body) {
    const who = saved();
    const response = await fetch("/api/corrections", {
      method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${who ? who.token : ""}` } });
    const text = await response.text();
    if (!response.ok) {
      let message = text.trim();
      try { message = JSON.parse(text).detail; } catch (e) { /* plain text */ }
      throw new Error(message);
    }
    return JSON.parse(text);
  }

  /** A small form: fields, a submit button, a status line; `build(values)` makes the request body. */
  function form(title, fields, build, done, cls) {
    const status = el("p", { class: "correction-status" });
    const f = el("form", { class: `correction-form ${cls || ""}` }, el("h3", {}, title));
    fields.forEach((field) => f.append(field));
    f.append(el("button", { type: "submit", class: "primary" }, title), status);
    f.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(f).entries());
      status.textContent = "Saving…"; status.classList.remove("error");
      try {
        const made = await post(build(values));
        status.textContent = `Saved (${made.status}).`;
        done(made);
      } catch (error) { status.textContent = error.message; status.classList.add("error"); }
    });
    return f;
  }

  const input = (name, label, attrs) => el("label", {}, label, " ", el("input", Object.assign({ name }, attrs || {})));
  function select(name, label, options, blank) {
    const s = el("select", { name });
    if (blank !== undefined) s.append(el("option", { value: "" }, blank));
    options.forEach((o) => s.append(typeof o === "string" ? el("option", { value: o }, o.replaceAll("_", " ").toLowerCase())
                                                         : el("option", { value: o.value }, o.label)));
    return el("label", {}, label, " ", s);
  }
  const numberOrNull = (v) => (v === undefined || v === "" ? undefined : Number(v));
  const orUndefined = (v) => (v === undefined || v === "" ? undefined : v);
  function clean(body) { Object.keys(body).forEach((k) => body[k] === undefined && delete body[k]); return body; }

  function speakerFields(ctx) {
    return [select("speaker", "Speaker", (ctx.actors || []).map((a) => ({ value: a.iri, label: a.label })), "— a new one —"),
            input("speaker_name", "or new name", { placeholder: "e.g. Jack Watling" }),
            select("speaker_kind", "kind", ["Person", "Organization", "Group"])];
  }
  const speakerBody = (v) => ({ speaker: orUndefined(v.speaker), speaker_name: v.speaker ? undefined : orUndefined(v.speaker_name),
                                speaker_kind: v.speaker ? undefined : v.speaker_kind });
  function quantityFields(ctx) {
    return [input("value", "Value", { inputmode: "decimal", size: 8 }), input("low", "or low", { size: 6 }),
            input("high", "high", { size: 6 }), input("unit", "Unit", { size: 12 }),
            select("qualifier", "Qualifier", ctx.qualifiers, "—"), select("modality", "Modality", ctx.modalities, "—"),
            input("period", "Period", { placeholder: "P1M", size: 5 })];
  }
  const quantityBody = (v) => ({ value: numberOrNull(v.value), low: numberOrNull(v.low), high: numberOrNull(v.high),
                                 unit: orUndefined(v.unit), qualifier: orUndefined(v.qualifier),
                                 modality: orUndefined(v.modality), period: orUndefined(v.period) });

  /** The forms for one item: kind is claim, quantity, actor or document. */
  function toolsFor(kind, iri, ctx, done) {
    const stances = ctx.stances || [];
    const reject = (what) => form(`Reject this ${what}`, [input("note", "Why", { placeholder: "optional note" })],
      (v) => clean({ kind: "reject", target: iri, document: what === "actor" ? ctx.document : undefined, note: orUndefined(v.note) }),
      done, "reject");
    if (kind === "claim") {
      return [reject("claim"),
        form("Set speaker", speakerFields(ctx), (v) => clean(Object.assign({ kind: "set_speaker", target: iri }, speakerBody(v))), done, "set-speaker"),
        form("Set stance", [select("stance", "Stance", stances, "no stance")],
             (v) => ({ kind: "set_stance", target: iri, stance: v.stance || null }), done, "set-stance")];
    }
    if (kind === "quantity") {
      return [reject("quantity"),
        form("Set figure", quantityFields(ctx), (v) => clean(Object.assign({ kind: "set_quantity", target: iri }, quantityBody(v))), done, "set-quantity")];
    }
    if (kind === "actor") {
      const others = (ctx.actors || []).filter((a) => a.iri !== iri).map((a) => ({ value: a.iri, label: a.label }));
      const merge = form("Merge into", [others.length ? select("into", "Same actor as", others) : input("into", "Same actor as (IRI)", { size: 40 })],
                         (v) => ({ kind: "merge", target: iri, into: v.into }), done, "merge");
      return ctx.document ? [reject("actor"), merge] : [merge];
    }
    if (kind === "document") {
      return [form("Set article stance", [select("stance", "Stance", stances, "no stance")],
                   (v) => ({ kind: "set_stance", target: iri, stance: v.stance || null }), done, "set-article-stance")];
    }
    return [];
  }

  /** Forms to add a claim or figure on the selected words [start, end) of a document. */
  function additionTools(documentIri, start, end, exact, ctx, done) {
    return [el("p", { class: "selection" }, "Selected: “", exact, "”"),
      form("Add claim", [...speakerFields(ctx), input("cue", "Cue", { placeholder: "said", size: 10 }),
                         select("stance", "Stance", ctx.stances || [], "no stance")],
           (v) => clean(Object.assign({ kind: "add_claim", document: documentIri, start, end, exact, cue: orUndefined(v.cue),
                                        stance: v.stance || undefined }, speakerBody(v))), done, "add-claim"),
      form("Add figure", quantityFields(ctx),
           (v) => clean(Object.assign({ kind: "add_quantity", document: documentIri, start, end, exact }, quantityBody(v))), done, "add-quantity")];
  }

  /** [start, end) of the current selection inside `container`, in code points of its text. */
  function selectedOffsets(container) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Array.from(before.toString()).length;
    const exact = range.toString();
    if (!exact.trim()) return null;
    return { start, end: start + Array.from(exact).length, exact };
  }

  /** Sign-in box, or "signed in as" with a sign-out link; calls `changed()` after either. */
  function signInBox(changed) {
    const who = saved();
    if (who) {
      const out = el("button", { type: "button", class: "sign-out" }, "sign out");
      out.addEventListener("click", () => { localStorage.removeItem(KEY); changed(); });
      return el("p", { class: "signed-in" }, "Signed in as ", el("b", { class: "analyst-name" }, who.name), " · ", out);
    }
    const status = el("span", { class: "status" });
    const f = el("form", { class: "sign-in" }, el("label", {}, "Analyst token ",
      el("input", { name: "token", type: "password", autocomplete: "off", size: 16 })),
      el("button", { type: "submit" }, "Sign in to correct"), " ", status);
    f.addEventListener("submit", async (event) => {
      event.preventDefault();
      try { await signIn(new FormData(f).get("token")); changed(); }
      catch (error) { status.textContent = error.message; status.classList.add("error"); }
    });
    return f;
  }

  // ---- the Linked Data page (a document, claim, quantity or actor) -------------------------------
  function resourcePage() {
    const holder = document.getElementById("correction-tools");
    if (!holder) return;
    const ctx = JSON.parse(holder.dataset.context);
    const reload = () => window.location.reload();
    const panel = el("div", { id: "correction-panel", class: "card", hidden: "" });
    document.body.append(panel);
    const openPanel = (children) => {
      const close = el("button", { type: "button", class: "close" }, "×");
      close.addEventListener("click", () => { panel.hidden = true; });
      panel.replaceChildren(close, ...children);
      panel.hidden = false;
    };
    function render() {
      const who = saved();
      document.body.classList.toggle("analyst", !!who);
      holder.replaceChildren(signInBox(render));
      if (!who) return;
      holder.append(el("div", { class: "tools" }, ...toolsFor(ctx.kind, ctx.iri, ctx, reload)));
      if (ctx.kind === "document") {
        ctx.actors.forEach((actor) => {
          const b = el("button", { type: "button", class: "actor-tools", "data-actor": actor.iri }, `Correct ${actor.label}…`);
          b.addEventListener("click", () => openPanel([el("h3", {}, actor.label),
            ...toolsFor("actor", actor.iri, ctx, reload)]));
          holder.append(b, " ");
        });
      }
      document.querySelectorAll("tr.correction[data-kind=merge].applied").forEach((row) => {
        if (row.querySelector(".split")) return;
        const b = el("button", { type: "button", class: "split" }, "Split");
        b.addEventListener("click", async () => {
          try { await post({ kind: "split", target: row.dataset.target, into: row.dataset.into }); reload(); }
          catch (error) { b.textContent = error.message; }
        });
        row.lastElementChild.append(" ", b);
      });
    }
    render();
    const text = document.getElementById("document-text");
    if (!text) return;
    text.addEventListener("click", (event) => {
      const mark = event.target.closest("a.mark");
      if (!mark || !saved()) return;
      event.preventDefault();
      openPanel([el("h3", {}, mark.dataset.what, " ", el("a", { href: mark.getAttribute("href") }, "page ↗")),
                 el("blockquote", { class: "quote" }, mark.textContent),
                 ...toolsFor(mark.dataset.what, mark.dataset.item, ctx, reload)]);
    });
    text.addEventListener("mouseup", () => {
      if (!saved()) return;
      const picked = selectedOffsets(text);
      if (picked) openPanel(additionTools(ctx.iri, picked.start, picked.end, picked.exact, ctx, reload));
    });
  }

  // ---- the explorer ---------------------------------------------------------------------------
  /** Correction forms for the explorer's selected node `d` (appended to `holder`); `refresh()` re-reads it. */
  function explorerTools(d, holder, refresh) {
    const box = el("div", { class: "explorer-corrections" });
    const ctx = { stances: ["TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE"], qualifiers: ["exact", "approximately", "at_least", "at_most", "range"],
                  modalities: ["report", "estimate", "projection"], actors: [] };
    function render() {
      box.replaceChildren(signInBox(render));
      if (!saved()) return;
      const kind = d.kind === "person" || d.kind === "organization" ? "actor" : d.kind;
      box.append(...toolsFor(kind, d.id, ctx, (made) => refresh(made)));
    }
    render();
    holder.append(el("h3", {}, "Correct"), box);
  }

  /** In the explorer's source text (`context`, the document's whole text): select words to add. */
  function explorerSelection(context, documentIri, refresh) {
    context.addEventListener("mouseup", () => {
      if (!saved()) return;
      const picked = selectedOffsets(context);
      if (!picked) return;
      const old = context.parentElement.querySelector(".explorer-additions");
      if (old) old.remove();
      const ctx = { stances: ["TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE"], qualifiers: ["exact", "approximately", "at_least", "at_most", "range"],
                    modalities: ["report", "estimate", "projection"], actors: [] };
      context.after(el("div", { class: "explorer-additions" },
        ...additionTools(documentIri, picked.start, picked.end, picked.exact, ctx, (made) => refresh(made))));
    });
  }

  window.claimgraphCorrections = { post, signIn, explorerTools, explorerSelection, analyst: saved };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resourcePage);
  else resourcePage();
})();
