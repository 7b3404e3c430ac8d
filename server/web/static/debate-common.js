/* What the three debate views share: named-query calls, the filter bar kept in the URL (so the
 * address is the view's permalink), and small DOM helpers. Each view script registers one
 * `render(filters)` with `claimgraphDebate.start`, called at load and on every filter change. */
(function () {
  "use strict";
  const ID_BASE = "https://w3id.org/claimgraph/";
  const STANCES = {
    TRUCE_AS_REGROUPING: { label: "truce as regrouping", colour: "#c0392b" },
    RUSSIA_NEEDS_PEACE: { label: "Russia needs peace", colour: "#2471a3" },
    "": { label: "no stance", colour: "#9aa5b1" },
  };
  const form = document.getElementById("filters");
  const details = document.getElementById("details");
  const summary = document.getElementById("summary");

  /** Run a named query; rows as {variable: value} objects. `paging` may hold limit / offset. */
  async function named(name, params, paging) {
    const query = new URLSearchParams(Object.entries(Object.assign({}, params || {}, paging || {}))
      .filter(([, value]) => value !== undefined && value !== null && value !== ""));
    const response = await fetch(`/api/queries/${encodeURIComponent(name)}?${query}`,
      { headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`);
    const data = await response.json();
    return data.results.bindings.map((binding) =>
      Object.fromEntries(Object.entries(binding).map(([key, term]) => [key, term.value])));
  }

  function element(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === "class") el.className = v; else el.setAttribute(k, v);
    });
    children.flat().forEach((c) => {
      if (c === undefined || c === null || c === false || c === "") return;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return el;
  }

  /** The page on this server where a claimgraph IRI dereferences (Linked Data). */
  const localPage = (iri) => (iri && iri.startsWith(ID_BASE) ? "/" + iri.slice(ID_BASE.length) : iri);
  const number = (n) => Number(n).toLocaleString("en-GB", { maximumFractionDigits: 1 });
  const stancePill = (stance) => element("span", { class: `pill ${stance || "none"}` }, (STANCES[stance] || { label: stance }).label);

  function status(text, isError) {
    let el = details.querySelector("p.status");
    if (!el) { el = element("p", { class: "status" }); details.prepend(el); }
    el.textContent = text; el.classList.toggle("error", !!isError);
  }

  // ---- filters <-> URL -------------------------------------------------------------------------
  function current() {
    const values = {};
    Array.from(form.elements).forEach((field) => {
      if (!field.name) return;
      values[field.name] = field.type === "checkbox" ? (field.checked ? "true" : "false") : field.value;
    });
    return values;
  }

  /** The filters as the overview queries' parameters: undated documents count only when no date is set. */
  function queryParams(values) {
    const out = {};
    if (values.from) out.from = values.from;
    if (values.to) out.to = values.to;
    if ("undated" in values) out.undated = values.undated === "true" && !values.from && !values.to ? "true" : "false";
    if (values.publisher) out.publisher = values.publisher;
    if (values.actorKind) out.actorKind = values.actorKind;
    return out;
  }

  function permalink(values) {
    const params = new URLSearchParams();
    Array.from(form.elements).forEach((field) => {
      if (!field.name) return;
      const value = values[field.name];
      const fallback = field.type === "checkbox" ? (field.defaultChecked ? "true" : "false")
        : field.tagName === "SELECT" ? (Array.from(field.options).find((o) => o.defaultSelected) || field.options[0] || {}).value
        : field.defaultValue;
      if (value !== undefined && value !== fallback) params.set(field.name, value);
    });
    const query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function restore() {
    const params = new URLSearchParams(window.location.search);
    Array.from(form.elements).forEach((field) => {
      if (!field.name || !params.has(field.name)) return;
      const value = params.get(field.name);
      if (field.type === "checkbox") field.checked = value === "true";
      else {
        if (field.tagName === "SELECT" && !Array.from(field.options).some((o) => o.value === value)) {
          field.append(element("option", { value }, value));    // a value the lists do not (yet) offer
        }
        field.value = value;
      }
    });
  }

  async function fillSelect(name, query, params, option) {
    const select = form.elements[name];
    if (!select) return;
    try {
      const rows = await named(query, params);
      rows.forEach((row) => {
        const entry = option(row);
        if (!entry) return;
        const [value, text] = entry;
        const existing = Array.from(select.options).find((o) => o.value === value);
        if (existing) existing.textContent = text; else select.append(element("option", { value }, text));
      });
    } catch (error) { /* the filter keeps what it has */ }
  }

  const state = { firstRenderMs: null, renders: 0 };
  window.claimgraphDebate = state;

  /** Restore the filters from the URL, render, and render again on change. The filter lists fill
   * in once the first render is drawn: the first render does not wait for them (a value from the
   * URL is kept as is), and their queries do not compete with the view's own for the server. */
  async function start(render, lists) {
    restore();
    const draw = async () => {
      const values = current();
      const link = permalink(values);
      document.getElementById("permalink").href = link;
      window.history.replaceState(null, "", link);
      document.body.dataset.rendered = "false";
      try {
        await render(values, queryParams(values));
      } catch (error) {
        status(`Could not draw the view: ${error.message}`, true);
      }
      state.renders += 1;
      if (state.firstRenderMs === null) state.firstRenderMs = performance.now();
      document.body.dataset.rendered = "true";
    };
    form.addEventListener("change", draw);
    form.addEventListener("submit", (e) => { e.preventDefault(); draw(); });
    await draw();
    await Promise.all((lists || []).map((list) => fillSelect(...list)));
  }

  const LISTS = {
    publisher: ["publisher", "publishers", {}, (row) => [row.name, `${row.name} (${row.documents})`]],
    actorKind: ["actorKind", "actor_kinds", {}, (row) => (Number(row.depth) > 1
      ? [row.class, "\u00a0\u00a0".repeat(Number(row.depth) - 2) + (row.label || row.class.replace(/^.*#/, ""))] : null)],
  };

  Object.assign(state, { ID_BASE, STANCES, named, element, localPage, number, stancePill, status, start, LISTS,
                         details, summary, form });
})();
