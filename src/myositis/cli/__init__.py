"""Command-line adapter: `myositis ...` (Typer + Rich) over the same library the web app uses."""

from myositis.cli.app import app, main

__all__ = ["app", "main"]
