"""The query engine: answering reads and writes against the embedded store (or forwarding them to a remote one), off the event loop."""
