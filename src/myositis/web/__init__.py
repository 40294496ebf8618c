"""Web adapter: FastAPI REST API and Jinja2 + htmx pages over the same services."""

from myositis.web.app import create_app

__all__ = ["create_app"]
