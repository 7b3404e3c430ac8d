/* The named-query page: run a query with its parameters and show the rows, or follow the
 * CSV / JSON links (kept in step with the form), or open the query in the editor. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("queries-config").textContent);
  const ID_BASE = "https://w3id.org/claimgraph/";

  function params(form) {
    const values = new URLSearchParams();
    new FormData(form).forEach((value, key) => { if (String(value).trim() !== "") values.set(key, value); });
    return values;
  }

  function syncLinks(form) {
    const values = params(form);
    form.querySelectorAll("a.as").forEach((a) => {
      const url = new URLSearchParams(values);
      if (a.dataset.format !== "json") url.set("format", a.dataset.format);
      a.href = `/api/queries/${form.dataset.name}?${url}`;
    });
    const query = config.queries[form.dataset.name];
    const text = window.claimgraphExampleText(query, config.prefixes, Object.fromEntries(values));
    const endpoint = new URL(config.endpoint, window.location.href).toString();
    form.querySelector("a.editor").href = "/query#" + new URLSearchParams({ query: text, endpoint, tabTitle: query.name });
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value.startsWith(ID_BASE) ? "/" + term.value.slice(ID_BASE.length) : term.value;
      a.textContent = term.value.replace(/^.*[/#]/, "");
      a.title = term.value;
      td.append(a);
    } else td.textContent = term.value;
    return td;
  }

  async function run(form) {
    const out = form.nextElementSibling;
    out.textContent = "Running…";
    const response = await fetch(`/api/queries/${form.dataset.name}?${params(form)}`,
                                 { headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) {
      out.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: await response.text() }));
      return;
    }
    const type = response.headers.get("content-type") || "";
    if (!type.includes("sparql-results+json")) {
      out.replaceChildren(Object.assign(document.createElement("pre"), { textContent: await response.text() }));
      return;
    }
    const data = await response.json();
    if (data.boolean !== undefined) { out.textContent = String(data.boolean); return; }
    const vars = data.head.vars, rows = data.results.bindings;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    vars.forEach((v) => { const th = document.createElement("th"); th.textContent = v; head.append(th); });
    const body = table.createTBody();
    rows.forEach((row) => { const tr = body.insertRow(); vars.forEach((v) => tr.append(cell(row[v]))); });
    const count = Object.assign(document.createElement("p"), { className: "count", textContent: `${rows.length} row${rows.length === 1 ? "" : "s"}` });
    out.replaceChildren(count, table);
  }

  // Parameters whose values an analyst would otherwise have to look up: offer them as choices.
  // parameter name -> [named query listing the values, value column, label column]
  const SUGGESTIONS = { actor: ["actors_roles_affiliations", "actor", "name"],
                        kind: ["quantity_kinds", "kind", "kindLabel"], doc: ["documents", "doc", "title"] };
  Object.entries(SUGGESTIONS).forEach(async ([param, [source, valueVar, labelVar]]) => {
    const inputs = document.querySelectorAll(`form.run input[name="${param}"]`);
    if (!inputs.length) return;
    const response = await fetch(`/api/queries/${source}`, { headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) return;
    const list = document.createElement("datalist");
    list.id = `choices-${param}`;
    (await response.json()).results.bindings.forEach((row) => {
      if (!row[valueVar]) return;
      const option = document.createElement("option");
      option.value = row[valueVar].value;
      option.label = row[labelVar] ? row[labelVar].value : row[valueVar].value;
      list.append(option);
    });
    document.body.append(list);
    inputs.forEach((input) => input.setAttribute("list", list.id));
  });

  document.querySelectorAll("form.run").forEach((form) => {
    syncLinks(form);
    form.addEventListener("input", () => syncLinks(form));
    form.addEventListener("change", () => syncLinks(form));
    form.addEventListener("submit", (event) => { event.preventDefault(); run(form); });
  });
})();
