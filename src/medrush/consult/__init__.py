"""consult: see ARCHITECTURE.md; not built yet."""
