"""Benchmarks at province scale (issue 10). Each script is run by one command; see BENCHMARKS.md."""
