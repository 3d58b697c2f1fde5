"""Paradigm Lab's launcher: `paradigm-lab` (or `python -m paradigm_lab`) starts the dashboard.

It is what an installed package offers instead of `make dashboard`; see cli.py. Standard library
only: the dashboard itself runs in a `streamlit run` child process.
"""
