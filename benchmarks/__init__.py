"""Benchmarks of the whole product, each a management command whose last line is key=value pairs."""
