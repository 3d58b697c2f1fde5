"""Maintainer scripts: benchmarks, browser and load checks, tables for the docs.

Each runs as a script from the repository root (`python scripts/bench.py`); the tests import
what they share with them as `scripts.<name>` (pytest puts the repository root on the path,
pyproject.toml). A script that imports a sibling puts the root on the path first, so both ways
of loading it find `scripts.browser_check`. Not part of the installed package.
"""
