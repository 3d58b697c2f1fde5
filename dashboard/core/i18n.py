"""Every user-facing string of the dashboard, in French and English, and helpers to format them.

The words are data: one texts.<language>.toml per topic folder (dashboard/topics/<page id>/) and
dashboard/core/ for the shell, shared widgets and the names of paradigms, families and roles (the
format is described at the top of dashboard/core/texts.fr.toml). `t("study.heading", "en")` looks
a key up; keyword arguments fill its `{placeholders}` and, for a text that agrees with a number,
choose its plural form by Babel's rule for the language. Paradigm, family and role ids come from
the manifest, so `paradigm_name`, `family_name` and `role_name` fall back to the id itself for an
id the catalogue does not know yet: a new paradigm shows up under its id instead of breaking a
page. tests/test_i18n.py checks that both languages hold the same keys and placeholders, that the
training registry's paradigms and families are all named, and that every key the code uses exists.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import babel
import babel.numbers

import dashboard

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

# dashboard/: the catalogue files are in its core/ and topics/<page id>/ folders. Found from the
# package, not from this file, so that the module may move inside it.
TEXTS_ROOT = Path(dashboard.__file__).resolve().parent
_TEXT_FILE_NAME = re.compile(r"texts\.(?P<language>[a-z]{2})\.toml")
# The plural categories CLDR knows. A table may give any that its language's rule produces; "one"
# and "other" are the ones a text needs (French "many", for exact millions, falls back to "other").
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class PluralText:
    """A text that agrees with a number: one text per CLDR plural form, and the placeholder whose
    number chooses the form."""

    forms: dict[str, str]
    counted: str = "count"

    def form_for(self, number: object, language: str) -> str:
        category = _locale(language).plural_form(_as_count(number))
        return self.forms.get(category) or self.forms["other"]


def _as_count(number: object) -> int | float:
    # Pages may pass a count already formatted ("1 000"), so that the sentence shows it as the
    # language writes it: its digits choose the form.
    if isinstance(number, int | float):
        return abs(number)
    digits = "".join(character for character in str(number) if character.isdigit())
    return int(digits) if digits else 0


def _entry_from_toml(value: object, where: str) -> str | PluralText:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "other" in value:
        forms = {form: text for form, text in value.items() if form != "counted"}
        counted = value.get("counted", "count")
        unknown = sorted(set(forms) - set(PLURAL_FORMS))
        if not unknown and isinstance(counted, str) and all(isinstance(text, str) for text in forms.values()):
            return PluralText(forms=forms, counted=counted)
    # An unquoted dotted key ("study.spread = ...") lands here as a nested table: say so at load,
    # not as a key a page cannot find.
    raise ValueError(f"{where} is neither a text nor a table of plural forms: {value!r}")


@functools.cache
def load_catalogue(directory: Path = TEXTS_ROOT) -> dict[str, dict[str, str | PluralText]]:
    """Every texts.<language>.toml under `directory`, as {key: {language: text}}.

    A key defined twice for one language, in one file or two, fails here, at the first page load:
    one of the two would otherwise win silently, depending on the order the files are read.
    """
    catalogue: dict[str, dict[str, str | PluralText]] = {}
    defined_in: dict[tuple[str, str], Path] = {}
    for path in sorted(directory.rglob("texts.*.toml")):
        match = _TEXT_FILE_NAME.fullmatch(path.name)
        if match is None:
            continue
        language = match["language"]
        with path.open("rb") as file:
            table = tomllib.load(file)
        for key, value in table.items():
            if (key, language) in defined_in:
                raise ValueError(f"the key {key!r} is defined twice in {language}: in "
                                 f"{defined_in[key, language]} and in {path}")
            defined_in[key, language] = path
            catalogue.setdefault(key, {})[language] = _entry_from_toml(value, f"{path}: {key!r}")
    return catalogue


CATALOGUE = load_catalogue()


def forms_of(key: str, language: str) -> tuple[str, ...]:
    """Every text `key` may show in `language`: the text, or each of its plural forms."""
    text = CATALOGUE[key][language]
    return tuple(text.forms.values()) if isinstance(text, PluralText) else (text,)


def t(key: str, language: str, **values: object) -> str:
    """The text of `key` in `language`, with `{placeholders}` filled from `values`; for a text that
    agrees with a number, the plural form that the language's rule picks for that number.

    An unknown key or language never raises: a page must not crash on a missing string, so it
    shows the key itself (tests catch missing keys before a user does).
    """
    entry = CATALOGUE.get(key)
    if entry is None:
        logging.getLogger(__name__).warning("missing translation key %r", key)
        return key
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    if isinstance(text, PluralText):
        text = text.form_for(values.get(text.counted, 0), language)
    return text.format(**values) if values else text


def resolve_language(requested: object) -> str:
    """The language to use for a value read from the URL (`?lang=en`), French by default."""
    if isinstance(requested, str) and requested.lower() in LANGUAGES:
        return requested.lower()
    return DEFAULT_LANGUAGE


def _name_or_id(key: str, fallback: str, language: str) -> str:
    return t(key, language) if key in CATALOGUE else fallback


def dataset_text(dataset_id: str, field: str, fallback: str, language: str) -> str:
    """A data set's name, source or licence in the page's language; the manifest's own text
    (written in English by the training side) for a data set this catalogue does not know."""
    return _name_or_id(f"dataset.{dataset_id}.{field}", fallback, language)


def paradigm_name(paradigm_id: str, language: str) -> str:
    """A paradigm's display name; its id for a paradigm this catalogue does not know."""
    return _name_or_id(f"paradigm.{paradigm_id}.name", paradigm_id, language)


def paradigm_text(paradigm_id: str, field: str, language: str) -> str:
    """A paradigm's `description` or `label_source`; empty for an unknown paradigm."""
    return _name_or_id(f"paradigm.{paradigm_id}.{field}", "", language)


def family_name(family_id: str, language: str) -> str:
    """A family's display name; its id for a family this catalogue does not know."""
    return _name_or_id(f"family.{family_id}.name", family_id, language)


def family_text(family_id: str, field: str, language: str) -> str:
    """A family's `description` or `label_source`; empty for an unknown family."""
    return _name_or_id(f"family.{family_id}.{field}", "", language)


def role_name(role_id: str, language: str) -> str:
    """A model role's display name; its id for a role this catalogue does not know."""
    return _name_or_id(f"role.{role_id}", role_id, language)


# Numbers follow CLDR through Babel: French writes 71,2 % (decimal comma) and 94 218, English 71.2%
# and 94,218. One departure: CLDR puts a plain no-break space before the French "%", where this
# dashboard has always put the narrow one (U+202F) that French typography asks for, which also
# separates thousands; either keeps a number and its unit on one line.
_NARROW_NO_BREAK_SPACE = "\u202f"


@functools.cache
def _locale(language: str) -> babel.Locale:
    return babel.Locale.parse(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def _with_digits(pattern: str, digits: int) -> str:
    """A CLDR number pattern ("#,##0.###", "#,##0 %") with exactly `digits` decimals."""
    return re.sub(r"0(\.[0#]+)?", "0" + ("." + "0" * digits if digits else ""), pattern, count=1)


def _narrow_spaces(text: str) -> str:
    return text.replace("\u00a0", _NARROW_NO_BREAK_SPACE)


def format_decimal(value: float, language: str, digits: int = 1) -> str:
    """`value` with `digits` decimals, the language's decimal mark and thousands separator."""
    locale = _locale(language)
    pattern = _with_digits(locale.decimal_formats[None].pattern, digits)
    return _narrow_spaces(babel.numbers.format_decimal(value, format=pattern, locale=locale))


def format_integer(value: int, language: str) -> str:
    """`value` with the language's thousands separator."""
    return format_decimal(value, language, digits=0)


def format_percent(proportion: float, language: str, digits: int = 1) -> str:
    """A proportion in [0, 1] as a percentage: 0.712 -> '71,2 %' (fr) or '71.2%' (en)."""
    locale = _locale(language)
    pattern = _with_digits(locale.percent_formats[None].pattern, digits)
    return _narrow_spaces(babel.numbers.format_percent(proportion, format=pattern, locale=locale))


def format_fraction(label_fraction: float, language: str) -> str:
    """A label fraction as the shortest percentage: 0.05 -> '5 %', 0.005 -> '0,5 %'."""
    text = babel.numbers.format_percent(label_fraction, locale=_locale(language), decimal_quantization=False)
    return _narrow_spaces(text)


def format_timestamp(iso_timestamp: str, language: str) -> str:
    """An ISO-8601 UTC time from the manifest, as a reader writes it; unchanged if not parseable."""
    try:
        moment = datetime.fromisoformat(iso_timestamp)
    except ValueError:
        return iso_timestamp
    pattern = "%d/%m/%Y %H:%M UTC" if language == "fr" else "%Y-%m-%d %H:%M UTC"
    return moment.strftime(pattern)


def format_points(proportion_difference: float, language: str) -> str:
    """A difference of two proportions in percentage points: 0.012 -> '1,2 pt' / '1.2 pt'."""
    return f"{format_decimal(100 * proportion_difference, language)}{_NARROW_NO_BREAK_SPACE}pt"
