"""The dashboard: server-rendered pages (Jinja2) over the same scoped reads as the API."""
