"""One package per family of paradigms: its paradigm modules and the training code only it uses.
No family imports another; what two families share lives in the training core (tests/test_layout.py)."""
