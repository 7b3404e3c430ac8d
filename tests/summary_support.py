"""Shared ground of the summary tests: write extractions through the document writer (as the
ingest does) and compare the stored summary graph with a rebuild from the store."""
from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, RdfFormat, serialize

from common import iris
from ingest.map import to_quads
from ingest.write import DocumentWriter
from reasoning import summary
from reasoning.reasoner import refresh_ontology, with_inferred

SUMMARY = NamedNode(summary.SUMMARY_GRAPH)


def document_quads(ex):
    """An extraction's quads with its inferred graph, as the writer receives them."""
    return with_inferred(iris.document(ex.article.doc_id), to_quads(ex))


def ingest_extractions(store, *extractions) -> None:
    refresh_ontology(store)   # as the ingest does: the queries read the actor classes from it
    writer = DocumentWriter(store, lambda article, error: error and pytest.fail(error))
    for ex in extractions:
        writer.add(ex.article, serialize(document_quads(ex), format=RdfFormat.N_QUADS))
    writer.close()


def stored_summary(store) -> set:
    return set(store.store.quads_for_pattern(None, None, None, SUMMARY))


def rebuilt_summary(store) -> set:
    return set(summary.summary_quads(store.store))
