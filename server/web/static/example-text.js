/* A named query as an analyst reads it in the editor: a short comment header (summary,
 * description, parameters, REST path), the query itself, and the parameter values as a
 * VALUES block they can edit. Shared by the query page and the API page. */
(function () {
  "use strict";
  const XSD = "http://www.w3.org/2001/XMLSchema#";

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

  function term(param, value, prefixes) {
    if (param.type === "iri") {
      const match = /^([A-Za-z][\w-]*):(?!\/\/)(.*)$/.exec(value);
      return `<${match && prefixes[match[1]] ? prefixes[match[1]] + match[2] : value}>`;
    }
    const quoted = JSON.stringify(String(value));
    if (param.type.startsWith("xsd:")) return `${quoted}^^<${XSD}${param.type.slice(4)}>`;
    if (param.type.startsWith("lang:")) return `${quoted}@${param.type.slice(5)}`;
    return quoted;
  }

  /** `values` maps parameter names to values; without it the declared defaults are used. */
  window.claimgraphExampleText = function (q, prefixes, values) {
    const given = q.params
      .map((p) => [p, values ? values[p.name] : p.default])
      .filter(([, v]) => v !== undefined && v !== null && String(v).trim() !== "");
    const body = q.query.split("\n").filter((line) => !line.startsWith("#+")).join("\n").trim();
    const params = q.params.map((p) => `#   ${p.name} (${p.type}${p.required ? "" : ", optional"}): ?${p.variable}` +
                                       (p.description ? ` — ${p.description}` : ""));
    let text = [`# ${q.name}: ${q.summary}`, ...wrap(q.description, 92).map((l) => "# " + l),
                ...(params.length ? ["# Parameters:", ...params] : []),
                `# REST: /api/queries/${q.name}`, body].join("\n") + "\n";
    if (given.length) {
      text += `\n# Parameter values (edit them here; /api/queries/${q.name} takes them from the URL)\n` +
              `VALUES (${given.map(([p]) => "?" + p.variable).join(" ")}) ` +
              `{ (${given.map(([p, v]) => term(p, v, prefixes || {})).join(" ")}) }\n`;
    }
    return text;
  };
})();
