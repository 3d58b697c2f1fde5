"""The layout's rules, read from the source's imports (ast), so that a broken rule fails here with the
file and the import, not later as a school machine that cannot start the dashboard:

- no dashboard topic (dashboard/topics/<page id>/) imports another topic; what two topics share
  goes to dashboard/core;
- no training family (training/families/<family>/) imports another family; what two families
  share goes to the training core (training/);
- nothing under dashboard/ or paradigm_lab/ imports torch or training/ (a school machine installs
  the dashboard without PyTorch; tests/test_dashboard_without_torch.py renders every page so);
- training/ does not import dashboard/, and paradigm_lab/ (what both halves share) imports neither half.

Every import counts, a function's own included: it runs as soon as that function does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.core.page_registry import PAGES
from training.registry import FAMILIES, PARADIGMS

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ROOT / "dashboard" / "topics"
FAMILY_PACKAGES = ROOT / "training" / "families"



def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def module_of(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module an import in ``path`` may load: ``from a.b import c`` gives a.b and a.b.c
    (c may be a module), relative imports resolved against the file's package."""
    module = module_of(path, root)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def part_after(module: str, prefix: str) -> str | None:
    """The first name after ``prefix`` ("dashboard.topics" -> the topic), or None."""
    if not module.startswith(prefix + "."):
        return None
    return module[len(prefix) + 1:].split(".")[0]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_topic_imports_another_topic():
    problems = []
    for path in python_files("dashboard/topics"):
        own = path.relative_to(TOPICS).parts[0]
        for module in imported_modules(path):
            other = part_after(module, "dashboard.topics")
            if other is not None and other != own and (TOPICS / other).is_dir():
                problems.append(f"{relative(path)} imports {module} (topic {other}): move the shared piece to dashboard/core")
    assert problems == [], "\n".join(sorted(problems))


def test_no_training_family_imports_another_family():
    problems = []
    for path in python_files("training/families"):
        own = path.relative_to(FAMILY_PACKAGES).parts[0]
        for module in imported_modules(path):
            other = part_after(module, "training.families")
            if other is not None and other != own and (FAMILY_PACKAGES / other).is_dir():
                problems.append(f"{relative(path)} imports {module} (family {other}): move the shared piece to training/")
    assert problems == [], "\n".join(sorted(problems))


@pytest.mark.parametrize("folder", ["dashboard", "paradigm_lab"])
def test_the_dashboard_side_never_imports_torch_or_training(folder):
    files = python_files(folder)
    assert len(files) > 1
    problems = [
        f"{relative(path)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path))
        if module.split(".")[0] in {"torch", "training"}
    ]
    assert problems == [], "\n".join(problems)


def test_paradigm_lab_imports_neither_half():
    problems = [
        f"{relative(path)} imports {module}"
        for path in python_files("paradigm_lab")
        for module in sorted(imported_modules(path))
        if module.split(".")[0] in {"dashboard", "training"}
    ]
    assert problems == [], "\n".join(problems)


def test_training_does_not_import_the_dashboard():
    found = {
        (relative(path), module)
        for path in python_files("training")
        for module in imported_modules(path)
        if module.split(".")[0] == "dashboard"
    }

    new = sorted(f"{file}: {module}" for file, module in found)
    assert new == [], "training/ imports the dashboard (shared code belongs in paradigm_lab/):\n" + "\n".join(new)


def test_the_core_reaches_into_no_new_topic():
    files = [*python_files("dashboard/core"), ROOT / "dashboard" / "app.py"]
    found = {
        (relative(path), topic)
        for path in files
        for module in imported_modules(path)
        if (topic := part_after(module, "dashboard.topics")) is not None
    }
    assert found == set(), "the core imports a topic (move the piece to the core):\n" + "\n".join(map(str, sorted(found)))


def test_every_page_lives_in_its_topic_folder_and_every_topic_has_a_page():
    folders = set()
    for page in PAGES:
        path = ROOT / "dashboard" / page.file
        assert path.is_file(), page
        assert path.name == "page.py" and path.parent.parent == TOPICS, page
        folders.add(path.parent.name)
    assert len(folders) == len(PAGES)
    on_disk = {path.name for path in TOPICS.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert on_disk == folders


def test_every_paradigm_module_lives_in_its_family_package():
    assert {path.name for path in FAMILY_PACKAGES.iterdir() if path.is_dir() and path.name != "__pycache__"} == set(FAMILIES)
    for paradigm in PARADIGMS.values():
        if paradigm.module is not None:
            assert paradigm.module.startswith(f"training.families.{paradigm.family}."), paradigm
            assert (ROOT / (paradigm.module.replace(".", "/") + ".py")).is_file(), paradigm


def test_the_import_reader_sees_every_form(tmp_path):
    source = "\n".join([
        "import torch.nn as nn",
        "from dashboard.topics.gan import digit_gans",
        "from dashboard.topics import gan",
        "def later():",
        "    from . import sibling",
        "    from ...core.figures import DIGIT_COLOURS",
    ])
    path = tmp_path / "dashboard" / "topics" / "study" / "recheck.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    found = imported_modules(path, root=tmp_path)
    assert {"torch.nn", "dashboard.topics.gan.digit_gans", "dashboard.topics.gan", "dashboard.topics.study.sibling",
            "dashboard.core.figures"} <= found
    assert part_after("dashboard.topics.gan.digit_gans", "dashboard.topics") == "gan"
