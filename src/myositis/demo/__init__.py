"""Bundled SYNTHETIC demo data. None of it describes a real person."""
