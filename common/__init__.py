"""Shared ground every layer stands on: IRIs, settings, paths, the ontology files and the named-query files. It imports nothing from the layers above it."""
