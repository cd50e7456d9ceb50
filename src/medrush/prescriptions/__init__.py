"""prescriptions: see ARCHITECTURE.md; not built yet."""
