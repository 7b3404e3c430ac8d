"""The served endpoint, grouped by role: http/ (protocol surface), routes/ (UI and REST routers), query/ (engine), processes/ (writer and serving processes)."""
