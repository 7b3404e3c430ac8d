"""HTTP: the FastAPI application, the SPARQL 1.1 Protocol and Graph Store Protocol surface, and the guards every request passes (content negotiation, SERVICE allow-list, errors, access log)."""
