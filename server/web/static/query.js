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

  function exampleText(q) {
    return window.claimgraphExampleText(q, config.prefixes);
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
