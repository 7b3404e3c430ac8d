/* The overview: the stances as hubs and the most quoted actors around them (Cytoscape.js).
 *
 * Everything is counted by the named queries (overview_actors: one row per actor with their
 * claims per stance, the most quoted first, one page of `top` rows; overview_stances: each
 * hub's claims and actors), so the graph never holds more than `top` actors whatever the
 * store's size; a grey node per hub says how many of its actors are not drawn. Positions are
 * computed, not simulated: one-sided actors on rings around their hub (the most quoted
 * nearest), actors quoted on both sides in a column between the hubs. */
(function () {
  "use strict";
  const D = window.claimgraphDebate;
  const { STANCES, named, element, localPage, number, stancePill, status, details, summary } = D;
  const SIDES = { TRUCE_AS_REGROUPING: { x: -330, from: 100, to: 260, field: "truceAsRegrouping" },
                  RUSSIA_NEEDS_PEACE: { x: 330, from: -80, to: 80, field: "russiaNeedsPeace" } };
  const KIND_COLOURS = { Person: "#e0922f", Group: "#9aa5b1" };   // the rest are organisations
  const ORG = "#2a9d8f", BOTH = "#7d3c98";

  const cy = cytoscape({
    container: document.getElementById("view"),
    minZoom: 0.2, maxZoom: 3, autoungrabify: true,
    style: [
      { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "color": "#1f2430", "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 130, "min-zoomed-font-size": 7,
          "width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
          "border-width": 1.5, "border-color": "#fff" } },
      { selector: "node.hub", style: {
          "shape": "round-rectangle", "width": 170, "height": "data(size)", "font-size": 13, "font-weight": "bold",
          "color": "#fff", "text-valign": "center", "text-margin-y": 0, "text-wrap": "wrap", "text-max-width": 160 } },
      { selector: "node.both", style: { "border-color": BOTH, "border-width": 4 } },
      { selector: "node.more", style: { "shape": "round-rectangle", "width": 110, "height": 26, "background-color": "#eef1f4",
          "border-color": "#c5ced8", "border-width": 1, "text-valign": "center", "text-margin-y": 0, "color": "#5f6b7a", "font-size": 11 } },
      { selector: "node:selected", style: { "overlay-color": "#ffd54f", "overlay-opacity": 0.4, "overlay-padding": 5 } },
      { selector: "edge", style: { "width": "data(width)", "line-color": "data(colour)", "opacity": 0.55, "curve-style": "straight" } },
    ],
  });
  D.cy = cy;

  /** Points on rings around a hub, `count` of them, the first nearest. */
  function ringPositions(side, count) {
    const out = [];
    let radius = 150, ring = 0;
    while (out.length < count) {
      const span = ((side.to - side.from) * Math.PI) / 180;
      const capacity = Math.max(3, Math.floor((span * radius) / 62));
      const here = Math.min(capacity, count - out.length);
      for (let i = 0; i < here; i++) {
        const t = (i + (ring % 2 ? 0.75 : 0.5)) / (here + (ring % 2 ? 0.5 : 0));   // alternate rings interleave
        const angle = ((side.from + (side.to - side.from) * t) * Math.PI) / 180;
        out.push({ x: side.x + radius * Math.cos(angle), y: radius * Math.sin(angle) });
      }
      radius += 68; ring += 1;
    }
    return out;
  }

  function draw(actors, stances) {
    const maxClaims = Math.max(1, ...actors.map((a) => Number(a.claims)));
    const maxHub = Math.max(1, ...stances.map((s) => Number(s.claims)));
    const size = (claims) => 16 + 34 * Math.sqrt(Number(claims) / maxClaims);
    const width = (claims) => 1.2 + 6 * Math.sqrt(Number(claims) / maxClaims);
    const elements = [];
    const byStance = Object.fromEntries(stances.map((s) => [s.stance, s]));
    Object.entries(SIDES).forEach(([stance, side]) => {
      const s = byStance[stance] || { claims: 0, actors: 0, documents: 0 };
      elements.push({ group: "nodes", classes: "hub", position: { x: side.x, y: 0 },
        data: { id: "hub:" + stance, stance, colour: STANCES[stance].colour, size: 46 + 30 * Math.sqrt(Number(s.claims) / maxHub),
                label: `${STANCES[stance].label}\n${number(s.claims)} claims · ${number(s.actors)} actors` } });
    });
    const groups = { TRUCE_AS_REGROUPING: [], RUSSIA_NEEDS_PEACE: [], both: [] };
    actors.forEach((a) => {
      const regroup = Number(a.truceAsRegrouping), peace = Number(a.russiaNeedsPeace);
      groups[regroup && peace ? "both" : regroup ? "TRUCE_AS_REGROUPING" : "RUSSIA_NEEDS_PEACE"].push(a);
    });
    const place = (a, position, side) => {
      elements.push({ group: "nodes", classes: side === "both" ? "actor both" : "actor", position,
        data: { id: a.speaker, label: a.name || a.speaker.replace(/^.*\//, ""), kind: a.kind || "", side,
                claims: Number(a.claims), truceAsRegrouping: Number(a.truceAsRegrouping),
                russiaNeedsPeace: Number(a.russiaNeedsPeace), documents: Number(a.documents),
                size: size(a.claims), colour: KIND_COLOURS[a.kind] || ORG } });
      Object.entries(SIDES).forEach(([stance, s]) => {
        const count = Number(a[s.field]);
        if (count) elements.push({ group: "edges", data: { id: `${a.speaker}|${stance}`, source: a.speaker,
          target: "hub:" + stance, stance, count, width: width(count), colour: STANCES[stance].colour } });
      });
    };
    let lowest = 0;
    Object.entries(SIDES).forEach(([stance, side]) => {
      const positions = ringPositions(side, groups[stance].length);
      groups[stance].forEach((a, i) => { place(a, positions[i], stance); lowest = Math.max(lowest, positions[i].y); });
    });
    groups.both.forEach((a, i) => {
      const y = (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 70;
      place(a, { x: 0, y }, "both");
      lowest = Math.max(lowest, y);
    });
    // the actors of each side that are not drawn
    Object.entries(SIDES).forEach(([stance, side]) => {
      const drawn = actors.filter((a) => Number(a[side.field]) > 0).length;
      const hidden = Number((byStance[stance] || {}).actors || 0) - drawn;
      if (hidden > 0) {
        elements.push({ group: "nodes", classes: "more", position: { x: side.x, y: lowest + 90 },
          data: { id: "more:" + stance, stance, hidden, label: `+ ${number(hidden)} more`, size: 26, colour: "#eef1f4" } });
      }
    });
    cy.batch(() => { cy.elements().remove(); cy.add(elements); });
    cy.fit(cy.elements(), 30);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }
    return groups;
  }

  let filters = {};

  async function showActor(node) {
    const d = node.data();
    const counts = element("p", {},
      d.truceAsRegrouping ? [stancePill("TRUCE_AS_REGROUPING"), ` ${d.truceAsRegrouping} `] : [],
      d.russiaNeedsPeace ? [stancePill("RUSSIA_NEEDS_PEACE"), ` ${d.russiaNeedsPeace} `] : [],
      `claim${d.claims === 1 ? "" : "s"} for a stance, in ${d.documents} document${d.documents === 1 ? "" : "s"}`);
    const list = element("ul", { class: "quotes" });
    details.replaceChildren(
      element("div", { class: "kind-label" }, d.side === "both" ? `${d.kind} · quoted on both sides` : d.kind),
      element("h2", {}, d.label), counts,
      element("p", {}, element("a", { href: "/explore?node=" + encodeURIComponent(d.id) }, "Open in the explorer"), " · ",
              element("a", { href: localPage(d.id), target: "_blank", rel: "noopener" }, "Linked Data page ↗")),
      element("p", { class: "status" }, "Loading the quotes…"), list);
    try {
      const params = Object.assign({}, filters, { actor: d.id });
      delete params.actorKind;
      const rows = await named("actor_quotes", params, { limit: 200 });
      details.querySelector("p.status").remove();
      rows.forEach((row) => list.append(element("li", { "data-stance": row.stance || "none" },
        stancePill(row.stance),
        element("blockquote", { class: "quote" }, row.quote),
        element("div", { class: "source" }, row.cue ? `${row.cue} · ` : "",
          element("a", { href: localPage(row.claim), class: "source-link", title: "The quote highlighted in its source text" },
                  row.title || row.doc),
          row.published ? ` · ${row.published}` : "", row.publisher ? ` · ${row.publisher}` : ""))));
      if (!rows.length) list.append(element("li", { class: "muted" }, "No claims under these filters."));
    } catch (error) { status(`Could not load the quotes: ${error.message}`, true); }
  }

  cy.on("tap", "node.actor", (event) => showActor(event.target));
  cy.on("tap", "node.more", () => {
    const select = D.form.elements.top;
    const next = Array.from(select.options).find((o) => Number(o.value) > Number(select.value));
    if (next) { select.value = next.value; select.dispatchEvent(new Event("change", { bubbles: true })); }
  });

  async function render(values, params) {
    filters = params;
    const [actors, stances] = await Promise.all([
      named("overview_actors", params, { limit: values.top || 40 }), named("overview_stances", params)]);
    const groups = draw(actors, stances);
    const total = stances.reduce((sum, s) => sum + Number(s.claims), 0);
    summary.textContent = `${number(total)} claims for a stance; ${actors.length} most quoted actors drawn ` +
      `(${groups.TRUCE_AS_REGROUPING.length} truce as regrouping, ${groups.RUSSIA_NEEDS_PEACE.length} Russia needs peace, ` +
      `${groups.both.length} both sides).`;
  }

  D.start(render, [D.LISTS.publisher, D.LISTS.actorKind]);
})();
