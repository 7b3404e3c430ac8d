/* The timeline: claims per stance per week or month (Apache ECharts), counted by the named
 * query stance_timeline; a click on a bar lists the documents of that bin (timeline_documents).
 * Every bin between the first and the last is drawn, empty ones at zero, so time reads evenly. */
(function () {
  "use strict";
  const D = window.claimgraphDebate;
  const { STANCES, named, element, localPage, number, stancePill, status, details, summary } = D;
  const ORDER = ["TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE", ""];
  const chart = echarts.init(document.getElementById("view"), null, { renderer: "svg" });
  window.addEventListener("resize", () => chart.resize());
  D.chart = chart;

  const iso = (date) => date.toISOString().slice(0, 10);
  const parse = (text) => new Date(text + "T00:00:00Z");
  function next(date, bin) {
    const d = new Date(date);
    if (bin === "week") d.setUTCDate(d.getUTCDate() + 7); else d.setUTCMonth(d.getUTCMonth() + 1);
    return d;
  }
  /** Every bin's first day from the first to the last bin of the answer. */
  function bins(rows, bin) {
    if (!rows.length) return [];
    const days = rows.map((r) => r.period).sort();
    const out = [];
    for (let d = parse(days[0]), last = parse(days[days.length - 1]); d <= last && out.length < 5000; d = next(d, bin)) {
      out.push(iso(d));
    }
    return out;
  }
  const lastDay = (start, bin) => { const d = next(parse(start), bin); d.setUTCDate(d.getUTCDate() - 1); return iso(d); };

  let state = { bin: "month", params: {} };

  function draw(rows, bin) {
    const axis = bins(rows, bin);
    const index = Object.fromEntries(axis.map((b, i) => [b, i]));
    const series = ORDER.map((stance) => {
      const data = axis.map(() => 0);
      rows.filter((r) => (r.stance || "") === stance).forEach((r) => { data[index[r.period]] += Number(r.claims); });
      return { name: STANCES[stance].label, stance, type: "bar", stack: "claims", data, barMaxWidth: 48,
               itemStyle: { color: STANCES[stance].colour }, emphasis: { focus: "series" } };
    });
    const label = (b) => (bin === "week" ? b : b.slice(0, 7));
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 8 },
      grid: { left: 50, right: 24, top: 48, bottom: 60 },
      xAxis: { type: "category", data: axis, axisLabel: { formatter: label } },
      yAxis: { type: "value", name: "claims", minInterval: 1 },
      dataZoom: axis.length > 60 ? [{ type: "slider", bottom: 10 }, { type: "inside" }] : [],
      series,
    }, true);
    return { axis, series };
  }

  async function showBin(start, stance) {
    const end = lastDay(start, state.bin);
    const list = element("ul", { class: "documents" });
    details.replaceChildren(
      element("div", { class: "kind-label" }, state.bin === "week" ? "week" : "month"),
      element("h2", {}, state.bin === "week" ? `${start} – ${end}` : start.slice(0, 7)),
      element("p", { class: "status" }, "Loading the documents…"), list);
    try {
      const params = Object.assign({}, state.params, { from: start, to: end });
      delete params.bin;
      const rows = await named("timeline_documents", params, { limit: 500 });
      details.querySelector("p.status").textContent =
        `${rows.length} document${rows.length === 1 ? "" : "s"} published then${stance !== undefined ? `; ${STANCES[stance].label} claims marked` : ""}`;
      rows.forEach((row) => list.append(element("li", { "data-doc": row.doc },
        element("a", { href: localPage(row.document), title: "The document with its claims marked" }, row.title || row.doc),
        element("div", { class: "muted" }, [row.published, row.publisher].filter(Boolean).join(" · ")),
        element("div", { class: "counts" },
          ORDER.map((s) => {
            const count = Number(row[{ TRUCE_AS_REGROUPING: "truceAsRegrouping", RUSSIA_NEEDS_PEACE: "russiaNeedsPeace", "": "noStance" }[s]]);
            return count ? element("span", {}, stancePill(s), ` ${count}`) : null;
          })))));
    } catch (error) { status(`Could not load the documents: ${error.message}`, true); }
  }

  chart.on("click", (event) => {
    const serie = chart.getOption().series[event.seriesIndex];
    showBin(event.name, serie.stance);
  });

  async function render(values, params) {
    const bin = values.bin || "month";
    const query = Object.assign({}, params, { bin });
    delete query.undated;          // the timeline places dated documents only
    state = { bin, params: query };
    const rows = await named("stance_timeline", query, { limit: 10000 });
    const drawn = draw(rows, bin);
    D.rows = rows;
    D.drawn = drawn;
    const totals = drawn.series.map((s) => `${number(s.data.reduce((a, b) => a + b, 0))} ${s.name}`);
    summary.textContent = drawn.axis.length
      ? `${drawn.axis.length} ${bin === "week" ? "weeks" : "months"}, ${drawn.axis[0]} to ${lastDay(drawn.axis[drawn.axis.length - 1], bin)}: ${totals.join(", ")} claims.`
      : "No dated documents under these filters.";
  }

  D.start(render, [D.LISTS.publisher, D.LISTS.actorKind]);
})();
