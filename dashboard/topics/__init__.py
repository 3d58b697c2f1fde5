"""One folder per page (its id is the folder's name): the page (page.py), its pure logic and figures
beside it. No topic imports another; shared pieces live in dashboard/core (tests/test_layout.py)."""
