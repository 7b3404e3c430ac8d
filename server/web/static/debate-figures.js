/* Figures side by side: every figure given for one kind of thing as a bar (Apache ECharts),
 * from the named query figures_side_by_side (rates normalised per month there; alike figures
 * from several sources counted together). A single value is a bar from zero, a range a bar
 * from its low to its high bound; the colour is the modality (report / estimate / projection).
 * Hover: source, date, who gave it, the words; click: the figure in its source text. */
(function () {
  "use strict";
  const D = window.claimgraphDebate;
  const { named, number, localPage, summary } = D;
  const MODALITIES = {
    report: { colour: "#2f4858" },
    estimate: { colour: "#e07a1f" },
    projection: { colour: "#b48ad0", decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -0.785, color: "rgba(255,255,255,0.55)" } },
    "": { colour: "#9aa5b1" },
  };
  const SHOWN = 60;     // the figures drawn: those given by the most sources
  const QUALIFIER_SIGN = { approximately: "≈", at_least: "≥", at_most: "≤" };
  const chart = echarts.init(document.getElementById("view"), null, { renderer: "svg" });
  window.addEventListener("resize", () => chart.resize());
  D.chart = chart;

  /** A row of figures_side_by_side with its example source split out (tab-separated in the query). */
  function figure(row, rates) {
    const [published, doc, publisher, saidBy, quantity, ...words] = (row.example || "").split("\t");
    const low = Number(row.low), high = Number(row.high);
    const range = low !== high;
    const sign = QUALIFIER_SIGN[row.qualifier] || "";
    const value = range ? `${number(low)}–${number(high)}` : `${sign}${number(low)}`;
    return { row, low, high, range, modality: row.modality || "", sources: Number(row.sources),
             published: published.startsWith("9999") ? "" : published, doc, publisher, saidBy, quantity,
             words: words.join("\t"), label: `${value}${rates ? " / month" : ""}`, counted: row.countedLabel };
  }

  function tooltip(f, rates) {
    const esc = (t) => String(t || "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
    const lines = [`<b>${esc(f.label)}</b> · ${esc(f.counted)} · ${esc(f.modality || "no modality")}${f.row.qualifier ? " · " + esc(f.row.qualifier) : ""}`];
    if (rates && f.row.period && f.row.period !== "P1M") lines.push(`stated per ${esc(f.row.period)}, shown per month`);
    lines.push(`“${esc(f.words)}”`);
    lines.push(`${esc(f.publisher || f.doc)}${f.published ? ", " + esc(f.published) : ", undated"}${f.saidBy ? " · given by " + esc(f.saidBy) : ""}`);
    if (f.sources > 1) lines.push(`the same figure in ${number(f.sources)} documents, ${esc(f.row.first || "?")} to ${esc(f.row.last || "?")}`);
    return lines.join("<br>");
  }

  function draw(figures, rates) {
    // largest at the top: ECharts draws the first category at the bottom
    const ordered = figures.slice().sort((a, b) => a.high - b.high || a.low - b.low);
    const categories = ordered.map((f, i) => `${f.publisher || f.doc}${f.published ? " · " + f.published : ""}` +
      `${f.sources > 1 ? ` (+${number(f.sources - 1)})` : ""}\u200b${i}`);
    const base = ordered.map((f) => (f.range ? f.low : 0));
    const series = [{ name: "base", type: "bar", stack: "figure", data: base, itemStyle: { color: "transparent" },
                      silent: true, tooltip: { show: false }, barMaxWidth: 22 }];
    Object.entries(MODALITIES).forEach(([modality, style]) => {
      if (!ordered.some((f) => f.modality === modality)) return;
      series.push({ name: modality || "no modality", modality, type: "bar", stack: "figure", barMaxWidth: 22,
        itemStyle: { color: style.colour, decal: style.decal || null, borderRadius: 2 },
        label: { show: true, position: "right", formatter: (p) => ordered[p.dataIndex].label, color: "#1f2430", fontSize: 11 },
        data: ordered.map((f) => (f.modality === modality ? (f.range ? f.high - f.low : f.high) : "-")) });
    });
    chart.setOption({
      animation: false,
      aria: { enabled: true, decal: { show: false } },
      legend: { top: 8, data: series.slice(1).map((s) => s.name) },
      tooltip: { trigger: "item", confine: true, formatter: (p) => tooltip(ordered[p.dataIndex], rates) },
      grid: { left: 12, right: 110, top: 44, bottom: 40, containLabel: true },
      xAxis: { type: "value", name: rates ? "per month" : "count", nameLocation: "middle", nameGap: 26,
               axisLabel: { formatter: (v) => number(v) } },
      yAxis: { type: "category", data: categories, axisLabel: { formatter: (v) => v.replace(/\u200b\d+$/, ""), fontSize: 11 } },
      series,
    }, true);
    return ordered;
  }

  chart.on("click", (event) => {
    const f = D.figures && D.figures[event.dataIndex];
    if (f && f.quantity) window.location.href = localPage(f.quantity);
  });

  async function render(values) {
    const rates = values.rates !== "false";
    const params = { kind: values.kind || undefined, rates: rates ? "true" : "false" };
    // one row more than drawn tells whether there are more, without counting them all (a second full run)
    const answer = await named("figures_side_by_side", params, { limit: SHOWN + 1 });
    const more = answer.length > SHOWN;
    const rows = answer.slice(0, SHOWN);
    const figures = rows.map((row) => figure(row, rates));
    D.figures = draw(figures, rates);
    D.rows = rows;
    const stale = document.getElementById("stale-inference");   // the server's notice (debate.html)
    const kind = rows.length ? rows[0].kindLabel : (D.form.elements.kind.selectedOptions[0] || {}).textContent;
    summary.textContent = rows.length
      ? `${rows.length} distinct ${rates ? "monthly rates" : "figures"} for ${kind}` +
        (more ? `: the ${rows.length} given by the most sources; more are not drawn (the named query lists them all)` : "") + "."
      : `No ${rates ? "rates" : "one-off figures"} for ${kind}` +
        (stale ? `: ${stale.dataset.stale} of ${stale.dataset.documents} documents have no figure rows of this ` +
                 "version yet (see the notice above: claimgraph reason)." : ".");
    if (!rows.length) {   // an empty chart says why in its middle, not only in the line below it
      chart.setOption({ title: { left: "center", top: "middle", textStyle: { color: "#5c6670", fontSize: 14, lineHeight: 22, fontWeight: "normal" },
        text: stale ? "No figures drawn: this store's figure rows are missing or of another version.\nRun claimgraph reason (see the notice above)."
                    : `No ${rates ? "rates" : "one-off figures"} for ${kind}.` } });
    }
  }

  D.start(render, [["kind", "quantity_kinds", {}, (row) => [row.kind, `${row.kindLabel || row.kind.replace(/^.*\//, "")} (${row.quantities})`]]]);
})();
