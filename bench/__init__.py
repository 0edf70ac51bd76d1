"""Benchmarks of the service against its physical limits: `python -m bench`."""
