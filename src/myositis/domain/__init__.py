"""Pure data types and validated instruments. No I/O happens in this package."""
