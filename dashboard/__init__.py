"""Paradigm Lab's dashboard: a Streamlit app that reads the bundle in exported_models/.

Run it with `streamlit run dashboard/app.py`. The plain modules here (i18n, bundle, inference,
study_results, figures) never import streamlit, so tests call them directly; the pages in views/
only place what those modules return. Nothing here needs PyTorch or the training package.
"""
