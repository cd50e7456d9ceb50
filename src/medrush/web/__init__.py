"""The only package that knows HTTP: app factory, JSON API under /api/v1, server-rendered pages."""
