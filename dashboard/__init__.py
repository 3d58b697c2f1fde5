"""Paradigm Lab's dashboard: a Streamlit app that reads the bundle in exported_models/.

Run it with `streamlit run dashboard/app.py`. The plain modules (bundle.py, dashboard/core/, and
each topic's logic beside its page in dashboard/topics/<page id>/) never import streamlit, so tests
call them directly; each topic's page.py only places what those modules return. Nothing here needs PyTorch or the training package.
"""
