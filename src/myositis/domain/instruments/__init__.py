"""Validated IIM instruments: each module keeps its published table as data beside a pure function."""
