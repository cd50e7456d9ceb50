"""simulation: see ARCHITECTURE.md; not built yet."""
