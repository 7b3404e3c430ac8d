"""Routers for people and programs beyond the protocol: named-query REST API, Linked Data, the browser pages, the ontology documentation."""
