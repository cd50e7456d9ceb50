"""interop: see ARCHITECTURE.md; not built yet."""
