/* The graph explorer: Cytoscape.js over the named-query API (/api/queries/*), nothing else.
 *
 * Nodes are coloured by what they are (document, person, organisation, claim, quantity,
 * place, kind), edges by the stance of the claim they touch. Click a node for its details,
 * double-click (or "Expand") to add its neighbours; a claim or quantity shows its words
 * highlighted in the document text, using the evidence offsets (Unicode code points). */
(function () {
  "use strict";
  const ID_BASE = "https://w3id.org/claimgraph/";
  const STANCE_LABELS = { TRUCE_AS_REGROUPING: "truce as regrouping", RUSSIA_NEEDS_PEACE: "Russia needs peace" };
  // ontology class (local name) -> the colour group of the node
  const KIND_OF_CLASS = {
    Document: "document", NewsArticle: "document", OpEd: "document", Report: "document",
    Person: "person",
    Organization: "organization", ThinkTank: "organization", MediaOrganization: "organization",
    Government: "organization", Alliance: "organization", IntelligenceService: "organization",
    MilitaryBody: "organization", Group: "organization", Actor: "organization",
    Place: "place", Country: "place",
    Claim: "claim", Quantity: "quantity", Kind: "kind",
  };
  const COLOURS = { document: "#4e6e94", person: "#e0922f", organization: "#2a9d8f", claim: "#8e6bbf",
                    quantity: "#d45d87", place: "#9c755f", kind: "#7f8c8d", other: "#b0b8c1" };
  const STANCE_COLOURS = { TRUCE_AS_REGROUPING: "#c0392b", RUSSIA_NEEDS_PEACE: "#2471a3" };
  const LINK_LABELS = { speaker: "said", inDocument: "in", mentions: "mentions", affiliation: "affiliated with",
                        attributedTo: "given by", about: "about", statedIn: "stated in", publisher: "published by",
                        creator: "written by", countedKind: "counts" };

  const details = document.getElementById("details");
  const status = (text, isError) => {
    let el = details.querySelector(".status");
    if (!el) { el = document.createElement("p"); el.className = "status"; details.prepend(el); }
    el.textContent = text; el.classList.toggle("error", !!isError);
  };

  /** Run a named query with its parameters; rows as {variable: value} objects. */
  async function named(name, params) {
    const url = `/api/queries/${encodeURIComponent(name)}?${new URLSearchParams(params || {})}`;
    const response = await fetch(url, { headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`);
    const data = await response.json();
    return data.results.bindings.map((binding) =>
      Object.fromEntries(Object.entries(binding).map(([key, term]) => [key, term.value])));
  }

  const localName = (iri) => (iri || "").replace(/^.*[#/]/, "");
  const kindOf = (className, iri) => {
    if (KIND_OF_CLASS[className]) return KIND_OF_CLASS[className];
    if (/Quantity$/.test(className || "")) return "quantity";
    if ((iri || "").startsWith(ID_BASE + "kind/")) return "kind";
    if ((iri || "").startsWith(ID_BASE + "id/place/")) return "place";
    if (/^https:\/\/w3id\.org\/claimgraph\/id\/doc\/[^/]+\/claim\//.test(iri || "")) return "claim";
    if (/^https:\/\/w3id\.org\/claimgraph\/id\/doc\/[^/]+\/quantity\//.test(iri || "")) return "quantity";
    return "other";
  };
  const shorten = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
  /** The page on this server where a claimgraph IRI dereferences (Linked Data). */
  const localPage = (iri) => (iri.startsWith(ID_BASE) ? "/" + iri.slice(ID_BASE.length) : iri);

  const cy = cytoscape({
    container: document.getElementById("graph"),
    minZoom: 0.15, maxZoom: 3,
    style: [
      { selector: "node", style: {
          "background-color": (n) => COLOURS[n.data("kind")] || COLOURS.other,
          "label": "data(short)", "font-size": 10, "color": "#1f2430",
          "text-wrap": "wrap", "text-max-width": 120, "text-valign": "bottom", "text-margin-y": 4,
          "width": 26, "height": 26, "border-width": 1.5, "border-color": "#fff" } },
      { selector: "node[kind = 'document']", style: { "shape": "round-rectangle", "width": 34, "height": 26 } },
      { selector: "node[kind = 'claim']", style: { "shape": "round-diamond", "width": 22, "height": 22 } },
      { selector: "node[kind = 'quantity']", style: { "shape": "round-tag", "width": 20, "height": 20 } },
      { selector: "node[kind = 'kind']", style: { "shape": "hexagon" } },
      { selector: "node[stance = 'TRUCE_AS_REGROUPING'][kind = 'document']", style: { "border-color": STANCE_COLOURS.TRUCE_AS_REGROUPING, "border-width": 3 } },
      { selector: "node[stance = 'RUSSIA_NEEDS_PEACE'][kind = 'document']", style: { "border-color": STANCE_COLOURS.RUSSIA_NEEDS_PEACE, "border-width": 3 } },
      { selector: "node[stance = 'TRUCE_AS_REGROUPING'][kind = 'claim']", style: { "border-color": STANCE_COLOURS.TRUCE_AS_REGROUPING, "border-width": 3 } },
      { selector: "node[stance = 'RUSSIA_NEEDS_PEACE'][kind = 'claim']", style: { "border-color": STANCE_COLOURS.RUSSIA_NEEDS_PEACE, "border-width": 3 } },
      { selector: "node.expanded", style: { "border-color": "#1f2430", "border-width": 2 } },
      { selector: "node:selected", style: { "overlay-color": "#ffd54f", "overlay-opacity": 0.35, "overlay-padding": 6 } },
      { selector: "edge", style: {
          "width": 1.6, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.7,
          "line-color": "#b7c0ca", "target-arrow-color": "#b7c0ca",
          "label": "data(label)", "font-size": 8, "color": "#7b8794", "text-rotation": "autorotate",
          "text-background-color": "#fbfcfd", "text-background-opacity": 0.8 } },
      { selector: "edge[stance = 'TRUCE_AS_REGROUPING']", style: { "line-color": STANCE_COLOURS.TRUCE_AS_REGROUPING, "target-arrow-color": STANCE_COLOURS.TRUCE_AS_REGROUPING, "width": 2.6 } },
      { selector: "edge[stance = 'RUSSIA_NEEDS_PEACE']", style: { "line-color": STANCE_COLOURS.RUSSIA_NEEDS_PEACE, "target-arrow-color": STANCE_COLOURS.RUSSIA_NEEDS_PEACE, "width": 2.6 } },
      { selector: ".filtered", style: { "display": "none" } },
    ],
  });
  window.claimgraphExplorer = cy;   // for the console and the browser tests

  function addNode(iri, label, className, extra) {
    const existing = cy.getElementById(iri);
    if (existing.nonempty()) return existing;
    const kind = kindOf(className, iri);
    return cy.add({ group: "nodes", data: Object.assign({
      id: iri, label: label || localName(iri), short: shorten(label || localName(iri), kind === "claim" || kind === "quantity" ? 48 : 36),
      kind: kind, className: className || "", stance: "", countedKinds: "" }, extra || {}) });
  }

  function addEdge(source, target, link, stance) {
    const id = `${source}|${link}|${target}`;
    if (cy.getElementById(id).nonempty()) return;
    cy.add({ group: "edges", data: { id, source, target, link, label: LINK_LABELS[localName(link)] || localName(link), stance: stance || "" } });
  }

  let layoutRunning = null;
  function relayout(focus) {
    if (layoutRunning) layoutRunning.stop();
    layoutRunning = cy.edges().empty()
      ? cy.layout({ name: "grid", avoidOverlap: true, avoidOverlapPadding: 60, fit: true, padding: 80 })
      : cy.layout({ name: "cose", animate: false, nodeRepulsion: () => 20000, idealEdgeLength: () => 110,
                                 nodeOverlap: 30, componentSpacing: 140, numIter: 1000, randomize: false,
                                 fit: true, padding: 50 });
    layoutRunning.run();
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }   // a few nodes should not fill the screen
    if (focus) cy.center(focus);
  }

  async function expand(iri) {
    const node = cy.getElementById(iri);
    status("Loading neighbours…");
    try {
      const rows = await named("explore_neighbours", { node: iri });
      rows.forEach((row) => {
        addNode(row.neighbour, row.label, row.kind, { stance: row.stance || "", countedKinds: row.countedKinds || "" });
        const [source, target] = row.direction === "out" ? [iri, row.neighbour] : [row.neighbour, iri];
        addEdge(source, target, row.link, row.edgeStance);
      });
      node.addClass("expanded");
      applyFilters();
      relayout();
      status(`${rows.length} link${rows.length === 1 ? "" : "s"} of ${node.data("label")}`);
    } catch (error) {
      status(`Could not expand: ${error.message}`, true);
    }
  }

  // ---- details panel -------------------------------------------------------------------------
  function element(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => (k === "class" ? (el.className = v) : el.setAttribute(k, v)));
    children.flat().forEach((c) => el.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return el;
  }

  function showNode(node) {
    const d = node.data();
    details.replaceChildren(
      element("div", { class: "kind-label" }, d.kind === "other" ? (d.className || "resource") : d.kind),
      element("h2", {}, d.label),
      d.stance ? element("span", { class: `pill ${d.stance}` }, STANCE_LABELS[d.stance] || d.stance) : "",
      element("div", { class: "actions" },
        actionButton("Expand neighbours", () => expand(d.id), "primary"),
        element("a", { href: localPage(d.id), target: "_blank", rel: "noopener" },
                d.kind === "document" ? "Read it, claims marked ↗" : "Linked Data page ↗")),
      element("p", { class: "iri muted" }, d.id));
    if (d.kind === "claim" || d.kind === "quantity") showEvidence(d.id);
    if (window.claimgraphCorrections && ["claim", "quantity", "person", "organization", "document"].includes(d.kind)) {
      window.claimgraphCorrections.explorerTools(d, details, (made) => afterCorrection(node, made));
    }
  }

  /** After an analyst's correction: a rejected item leaves the graph, anything else is shown anew. */
  function afterCorrection(node, made) {
    if (made && (made.kind === "reject" || made.kind === "merge")) {
      node.remove();
      details.replaceChildren(element("p", { class: "status correction-done" }, `${made.kind}: saved (${made.status}).`));
      return;
    }
    showNode(node);
    status(`${made ? made.kind.replace("_", " ") : "correction"}: saved.`);
  }

  function actionButton(text, onClick, cls) {
    const b = element("button", { type: "button", class: cls || "" }, text);
    b.addEventListener("click", onClick);
    return b;
  }

  /** The claim or quantity's words highlighted in its document's text. */
  async function showEvidence(iri) {
    const holder = element("div", { class: "evidence" }, element("p", { class: "status" }, "Loading the source text…"));
    details.append(holder);
    try {
      const [row] = await named("evidence_context", { item: iri });
      if (!row) { holder.replaceChildren(element("p", { class: "muted" }, "No evidence span recorded.")); return; }
      const chars = Array.from(row.text);           // offsets count code points, not UTF-16 units
      const start = Number(row.start), end = Number(row.end);
      const mark = element("mark", { class: "evidence", id: "evidence-mark" }, chars.slice(start, end).join(""));
      const context = element("div", { class: "context source-text" },
        chars.slice(0, start).join(""), mark, chars.slice(end).join(""));
      const source = row.source && /^https?:\/\//.test(row.source)
        ? element("a", { href: row.source, target: "_blank", rel: "noopener noreferrer" }, row.source)
        : element("span", {}, row.source || row.doc);
      holder.replaceChildren(
        element("dl", {},
          element("dt", {}, row.speakerName ? "said by" : "given by"), element("dd", {}, row.speakerName || "—"),
          row.cue ? [element("dt", {}, "cue"), element("dd", {}, `“${row.cue}”`)] : [],
          element("dt", {}, "document"), element("dd", {},
            element("a", { href: localPage(row.document), target: "_blank", rel: "noopener" }, row.title || row.doc)),
          row.published ? [element("dt", {}, "published"), element("dd", {}, row.published)] : [],
          element("dt", {}, "source"), element("dd", {}, source),
          element("dt", {}, "offsets"), element("dd", {}, `${start}–${end}`)),
        element("blockquote", { class: "quote" }, row.exact),
        element("h3", {}, "In context"),
        context);
      if (window.claimgraphCorrections) {
        window.claimgraphCorrections.explorerSelection(context, row.document, (made) => status(`${made.kind.replace("_", " ")}: saved (${made.status}).`));
      }
      // bring the quote into view inside the text box, keeping the panel where it is
      context.scrollTop = Math.max(0, mark.offsetTop - context.clientHeight / 3);   // offsetParent: the box
    } catch (error) {
      holder.replaceChildren(element("p", { class: "error" }, `Could not load the source: ${error.message}`));
    }
  }

  // ---- filters -------------------------------------------------------------------------------
  function applyFilters() {
    const stances = new Set(Array.from(document.querySelectorAll(".stance-filter:checked")).map((c) => c.value));
    const kind = document.getElementById("kind-filter").value;
    cy.batch(() => {
      cy.elements().removeClass("filtered");
      cy.edges().forEach((e) => { if (!stances.has(e.data("stance"))) e.addClass("filtered"); });
      cy.nodes("[kind = 'claim']").forEach((n) => { if (!stances.has(n.data("stance"))) n.addClass("filtered"); });
      if (kind) {
        cy.nodes("[kind = 'quantity']").forEach((n) => {
          if (!n.data("countedKinds").split(" ").includes(kind)) n.addClass("filtered");
        });
      }
      cy.nodes(".filtered").connectedEdges().addClass("filtered");
    });
  }
  document.querySelectorAll(".stance-filter").forEach((c) => c.addEventListener("change", applyFilters));
  document.getElementById("kind-filter").addEventListener("change", applyFilters);

  async function loadKinds() {
    try {
      const rows = await named("quantity_kinds");
      const select = document.getElementById("kind-filter");
      rows.forEach((row) => select.append(element("option", { value: row.kind },
        `${row.kindLabel || localName(row.kind)} (${row.quantities})`)));
    } catch (error) { /* the filter simply stays at "every kind" */ }
  }

  // ---- search --------------------------------------------------------------------------------
  const searchInput = document.getElementById("search");
  const resultsList = document.getElementById("search-results");
  async function search(text) {
    if (!text.trim()) { resultsList.hidden = true; return; }
    try {
      const rows = await named("explore_search", { text: text.trim() });
      resultsList.replaceChildren(...(rows.length ? rows.map((row) => {
        const li = element("li", { tabindex: "0", "data-iri": row.node },
          element("span", {}, row.label), element("span", { class: "kind" }, `${row.kind || ""} · ${row.documents} doc.`));
        const pick = () => { resultsList.hidden = true; focusOn(row.node, row.label, row.kind); };
        li.addEventListener("click", pick);
        li.addEventListener("keydown", (e) => { if (e.key === "Enter") pick(); });
        return li;
      }) : [element("li", { class: "muted" }, "Nothing found")]));
      resultsList.hidden = false;
    } catch (error) { status(`Search failed: ${error.message}`, true); }
  }
  let searchTimer = null;
  searchInput.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => search(searchInput.value), 250); });
  document.getElementById("search-form").addEventListener("submit", (e) => { e.preventDefault(); search(searchInput.value); });
  document.addEventListener("click", (e) => { if (!e.target.closest("#search-form")) resultsList.hidden = true; });

  async function focusOn(iri, label, className) {
    const node = addNode(iri, label, className);
    cy.$(":selected").unselect();
    node.select();
    showNode(node);
    await expand(iri);
    cy.animate({ fit: { eles: node.closedNeighborhood(), padding: 60 } }, {
      duration: 300, complete: () => { if (cy.zoom() > 1.3) cy.zoom({ level: 1.3, renderedPosition: node.renderedPosition() }); } });
  }

  // ---- start: the documents --------------------------------------------------------------------
  async function start() {
    cy.elements().remove();
    try {
      const rows = await named("documents");
      rows.forEach((row) => addNode(row.document, row.title || row.doc, "Document",
        { stance: row.stance || "" }));
      relayout();
    } catch (error) { status(`Could not load the documents: ${error.message}`, true); }
  }

  cy.on("tap", "node", (event) => showNode(event.target));
  cy.on("dbltap", "node", (event) => expand(event.target.id()));
  document.getElementById("relayout").addEventListener("click", () => relayout());
  document.getElementById("clear").addEventListener("click", start);

  loadKinds();
  const initial = new URLSearchParams(window.location.search).get("node");
  start().then(() => { if (initial && initial.startsWith(ID_BASE)) focusOn(initial); });
})();
