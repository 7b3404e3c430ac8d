/* The query page: YASGUI pointed at this server's /sparql, with the ontology's prefixes and
 * the named analyst queries as examples. Everything comes from this server (no CDN). */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("claimgraph-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).toString();
  const prefixLines = Object.entries(config.prefixes)
    .map(([prefix, iri]) => `PREFIX ${prefix}: <${iri}>`).join("\n");
  const byName = Object.fromEntries(config.examples.map((q) => [q.name, q]));
  // a new tab starts with every prefix of the ontology declared and an empty pattern
  const skeleton = `${prefixLines}\n\nSELECT * WHERE {\n  \n}\nLIMIT 100\n`;

  Yasgui.Yasqe.defaults.prefixCcApi = config.prefixesUrl;   // prefix autocompletion, served locally
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: "claimgraph",
    tabName: "Query",
    yasqe: { value: skeleton, editorHeight: "340px" },
    yasr: { prefixes: config.prefixes },
  });
  window.claimgraphYasgui = yasgui;   // handy from the console, and for the browser tests
  // A first visit opens the welcome example instead of the empty skeleton; a permalink or the
  // tabs of an earlier visit are left as they are. Then the open tab runs, to show answers at once.
  const current = yasgui.getTab();
  const onlyTab = Object.keys(yasgui._tabs).length === 1;
  if (current && onlyTab && current.getQuery() === skeleton && byName[config.first]) {
    current.setQuery(exampleText(byName[config.first]));
    current.setName(config.first);
  }
  if (current) current.getYasqe().query().catch(() => {});

  /** The example as an analyst sees it: its header, its query, and any default parameter
   * values as a VALUES block they can edit (the REST API binds them itself). */
  function exampleText(q) {
    const defaults = q.params.filter((p) => p.default !== null);
    const body = q.query.split("\n").filter((line) => !line.startsWith("#+")).join("\n").trim();
    const about = wrap(q.description, 92).map((line) => "# " + line);
    const params = q.params.map((p) => `#   ${p.name} (${p.type}${p.required ? "" : ", optional"}): ?${p.variable}` +
                                       (p.description ? ` — ${p.description}` : ""));
    let text = [`# ${q.name}: ${q.summary}`, ...about,
                ...(params.length ? ["# Parameters:", ...params] : []),
                `# REST: /api/queries/${q.name}`, body].join("\n") + "\n";
    if (defaults.length) {
      const vars = defaults.map((p) => "?" + p.variable).join(" ");
      const terms = defaults.map((p) => termText(p)).join(" ");
      text += `\n# Parameter values (edit them here; /api/queries/${q.name} takes them from the URL)\n` +
              `VALUES (${vars}) { (${terms}) }\n`;
    }
    return text;
  }

  function wrap(text, width) {
    const lines = [];
    let line = "";
    (text || "").split(/\s+/).filter(Boolean).forEach((word) => {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  function termText(p) {
    if (p.type === "iri") return `<${p.default}>`;
    const quoted = JSON.stringify(String(p.default));
    return p.type.startsWith("xsd:") ? `${quoted}^^<http://www.w3.org/2001/XMLSchema#${p.type.slice(4)}>` : quoted;
  }

  function openExample(name) {
    const q = byName[name];
    if (!q) return;
    const tab = yasgui.addTab(true, { name: q.name, yasqe: { value: exampleText(q) } });
    tab.show();
  }

  document.querySelectorAll("button.example").forEach((button) =>
    button.addEventListener("click", () => openExample(button.dataset.name)));

  const filter = document.getElementById("example-filter");
  filter.addEventListener("input", () => {
    const needle = filter.value.trim().toLowerCase();
    document.querySelectorAll("#example-list li").forEach((li) => {
      li.hidden = needle !== "" && !li.dataset.search.includes(needle);
    });
  });
})();
