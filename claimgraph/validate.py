"""`claimgraph validate`: check document graphs against ontology/shapes.ttl, in plain words.

Each document graph is validated on its own (pyshacl), with claimgraph.ttl and the concept
schemes mixed in so that sub-classes count (a cg:ThinkTank is a cg:Actor) and scheme
membership of stances, qualifiers and modalities can be checked. Results become sentences
such as "claim <…/claim/10-40> in <https://w3id.org/claimgraph/id/doc/x> has 2 speakers;
exactly one is required". Warnings are reported but do not make a graph non-conforming.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node
from rdflib.util import guess_format

from common.iris import CG as CG_IRI
from common.iris import GRAPH as SPECIAL_GRAPHS
from common.paths import ONTOLOGY_DIR, SHAPES_FILE, VOCAB_DIR

SH = Namespace("http://www.w3.org/ns/shacl#")
CG = Namespace(CG_IRI)
MAX_VALUE_CHARS = 80
META_SHAPES_FILE = ONTOLOGY_DIR / "meta-shapes.ttl"
QUAD_FORMATS = {"nquads", "trig", "trix"}


@dataclass
class ValidationResult:
    """Whether everything checked conforms, and one plain sentence per problem found."""

    conforms: bool
    messages: list[str] = field(default_factory=list)

    def extend(self, other: "ValidationResult") -> None:
        self.conforms = self.conforms and other.conforms
        self.messages.extend(other.messages)


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    """The TBox and the concept schemes: what a document graph is checked against."""
    graph = Graph()
    graph.parse(ONTOLOGY_DIR / "claimgraph.ttl", format="turtle")
    graph.parse(VOCAB_DIR / "schemes.ttl", format="turtle")
    return graph


def _show(node: Node, graph_name: str | None) -> str:
    """An IRI in angle brackets, shortened to <…/rest> inside its own document graph."""
    if isinstance(node, URIRef):
        text = str(node)
        if graph_name and text.startswith(graph_name + "/"):
            return f"<…{text[len(graph_name):]}>"
        return f"<{text}>"
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…")
    return f"blank node {node.n3()}"


def _noun(data: Graph, node: Node) -> str:
    """What the node is, in words: the label of its (claimgraph-first) type, e.g. 'claim'."""
    ontology = _ontology()
    types = sorted(data.objects(node, RDF.type), key=lambda t: (not str(t).startswith(CG_IRI), str(t)))
    for cls in types:
        label = ontology.value(cls, RDFS.label)
        if label is not None:
            return str(label)
    return "node"


def _sentence(data: Graph, results: Graph, result: Node, graph_name: str | None) -> tuple[bool, str]:
    """(is a violation, the sentence) for one sh:ValidationResult."""
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    message = str(results.value(result, SH.resultMessage) or "does not conform to its shape")
    if "{count}" in message:
        count = len(set(data.objects(focus, path))) if isinstance(path, URIRef) else "a wrong number of"
        message = message.replace("{count}", str(count))
    elif value is not None and value != focus:
        message += f" (found {_show(value, graph_name)})"
    where = f" in <{graph_name}>" if graph_name and str(focus) != graph_name else ""
    text = f"{_noun(data, focus)} {_show(focus, graph_name)}{where} {message}"
    is_violation = severity == SH.Violation
    return is_violation, text if is_violation else f"warning: {text}"


def _top_results(results: Graph) -> list[Node]:
    """The results of the report itself, not the nested sh:detail results behind them (the
    outer result already says what is wrong in the shape's own words)."""
    return [r for report in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(report, SH.result)]


def _run_shacl(data: Graph, shapes: Graph):
    """pyshacl with warnings allowed; a broken shapes file is an error, not a pass."""
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                               allow_warnings=True, allow_infos=True)
    if not isinstance(results, Graph):
        raise RuntimeError(f"the SHACL shapes cannot be used: {text}")
    return conforms, results, text


def validate_graph(data: Graph, graph_name: str | None = None) -> ValidationResult:
    """Validate one document graph; `graph_name` (its IRI), when given, must name its cg:Document."""
    result = ValidationResult(True)
    if graph_name and (URIRef(graph_name), RDF.type, CG.Document) not in data:
        result = ValidationResult(False, [f"graph <{graph_name}> holds no cg:Document named <{graph_name}>; "
                                          "every document graph must describe its own document"])
    elif not graph_name and (None, RDF.type, CG.Document) not in data:
        result = ValidationResult(False, ["the graph holds no cg:Document; a document graph must describe its document"])
    checked = Graph()
    checked += data
    checked += _ontology()  # pyshacl's ont_graph copies only axioms; scheme members are needed too
    _, results, _ = _run_shacl(checked, _shapes())
    sentences = sorted(_sentence(data, results, node, graph_name)
                       for node in _top_results(results))
    for is_violation, text in sentences:
        result.conforms = result.conforms and not is_violation
        result.messages.append(text)
    return result


def document_graphs(store) -> list[str]:
    """Every named graph of the store except the special ones (ontology, inferred)."""
    return [g for g in store.graphs() if not g.startswith(SPECIAL_GRAPHS)]


def validate_store(store) -> ValidationResult:
    """Validate every document graph of a GraphStore, one at a time (memory stays small)."""
    total = ValidationResult(True)
    for name in document_graphs(store):
        buffer = io.BytesIO()
        store.dump(buffer, "ntriples", graph=name)
        data = Graph().parse(data=buffer.getvalue(), format="nt")
        total.extend(validate_graph(data, name))
    return total


def _named_graphs(dataset: Dataset) -> list[tuple[str | None, Graph]]:
    """The document graphs of a parsed quad file; triples outside any graph count as one."""
    graphs: list[tuple[str | None, Graph]] = []
    for graph in dataset.graphs():
        name = graph.identifier
        if not len(graph) or str(name).startswith(SPECIAL_GRAPHS):
            continue
        graphs.append((None if name == DATASET_DEFAULT_GRAPH_ID else str(name), graph))
    return sorted(graphs, key=lambda item: item[0] or "")


def validate_file(path: str | Path) -> ValidationResult:
    """Validate an RDF file: each named graph of a quad file (TriG, N-Quads), or a triple
    file (Turtle, N-Triples, RDF/XML) as one document graph."""
    path = Path(path)
    rdf_format = guess_format(str(path))
    if rdf_format is None:
        return ValidationResult(False, [f"cannot validate {path}: unknown RDF file type {path.suffix!r} "
                                        "(use .ttl, .nt, .nq, .trig or .rdf)"])
    try:
        if rdf_format in QUAD_FORMATS:
            dataset = Dataset()
            dataset.parse(path, format=rdf_format)
            graphs = _named_graphs(dataset)
        else:
            graphs = [(None, Graph().parse(path, format=rdf_format))]
    except Exception as exc:  # rdflib's parsers raise many exception types for bad input
        return ValidationResult(False, [f"cannot read {path} as {rdf_format}: {type(exc).__name__}: {exc}"])
    total = ValidationResult(True)
    for name, data in graphs:
        total.extend(validate_graph(data, name))
    if not graphs:
        total = ValidationResult(False, [f"{path} holds no document graph to validate"])
    return total


def validate_ontology(paths: list[Path] | None = None) -> ValidationResult:
    """Check the ontology against ontology/meta-shapes.ttl: every term labelled and commented,
    every concept named and in a scheme, stance/qualifier/modality concepts with a notation
    and a definition. `paths` defaults to claimgraph.ttl and every vocabulary file."""
    from common.ontology import ontology_files

    data = Graph()
    for path in paths if paths is not None else ontology_files():
        data.parse(path, format="turtle")
    shapes = Graph().parse(META_SHAPES_FILE, format="turtle")
    conforms, results, _ = _run_shacl(data, shapes)
    messages = sorted(_sentence(data, results, node, None)[1]
                      for node in _top_results(results))
    return ValidationResult(bool(conforms), messages)
