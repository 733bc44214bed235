#!/usr/bin/env python
"""Check the translation catalogues under locale/; exit 1 and list the problems if any.

Checks:
* locale/en: every entry is translated and none is fuzzy (our msgids are Vietnamese, so an
  untranslated entry would show Vietnamese to English users);
* every locale: placeholders (%(name)s, {name}) of a translation are those of its msgid;
* every locale: the compiled .mo exists and holds what its .po says. Content is compared rather
  than modification times alone, because git does not keep mtimes: on a fresh checkout a .mo can
  look older than its .po while being correct. A .mo older than its .po with different content is
  reported as stale;
* locale/en is the only English catalogue of our strings: an app-level <app>/locale/en catalogue
  (beside locale/) is reported. Django falls back to it silently for msgids that locale/en lacks or
  leaves untranslated, and nothing checks it;
* locale/vi: every msgid of viewflow's and django-guardian's own catalogues is present, translated
  and not fuzzy. These entries are not in our source, so `makemessages -l vi` (or `-a`) would
  mark them obsolete; this check catches that.

Usage: scripts/i18n_check.py [--makemessages] [--locale-dir DIR]
  --makemessages  first run `manage.py makemessages -l en` so strings added to the source since the
                  catalogue was last generated show up as untranslated (changes locale/en in place).

Standard library only (polib is not a dependency).
"""

import argparse
import ast
import gettext
import importlib.util
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The languages whose every entry must be translated: our source strings are Vietnamese.
STRICT_LANGUAGES = {"en"}
# Third-party catalogues whose msgids the vi catalogue must carry (package, catalogue language).
VENDOR_CATALOGUES = [("viewflow", "de"), ("guardian", "fr")]
# The same invocation as locale/README.md. "--ignore=*/locale" matters: makemessages writes the strings of an app
# that has its own locale/ directory (api/locale/vi, DRF's messages in Vietnamese) into <app>/locale/en instead of
# the project catalogue. Ignoring those directories sends every string to LOCALE_PATHS[0], i.e. locale/en.
MAKEMESSAGES = [
    "manage.py",
    "makemessages",
    "-l",
    "en",
    "--ignore=.venv",
    "--ignore=bench",
    "--ignore=tests",
    "--ignore=var",
    "--ignore=*/locale",
    "--no-obsolete",
]

PLACEHOLDER_RE = {
    "python-format": re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGcouaA%]"),
    "python-brace-format": re.compile(r"\{([^{}]*)\}"),
}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    def label(self):
        text = self.msgid.strip().replace("\n", " ")
        text = text if len(text) <= 70 else text[:67] + "..."
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{text!r}"


def parse_po(path):
    """Return the entries of a PO file, the header (msgid "") first."""
    entries, entry, current = [], None, None

    def finish():
        if entry is not None and (entry.msgstr or entry.msgid):
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        if not line:
            finish()
            entry, current = None, None
            continue
        if line.startswith("#"):
            if entry is not None and current is not None:  # a comment starts the next entry
                finish()
                entry, current = None, None
            if entry is None:
                entry = Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value, keyword = ast.literal_eval(line), None
        else:
            value = ast.literal_eval(rest) if rest else ""
        if keyword is None:
            if current is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            _append(entry, current, value)
            continue
        if (
            keyword in ("msgctxt", "msgid")
            and entry is not None
            and current is not None
            and current != "msgctxt"
        ):
            finish()
            entry = None
        if entry is None:
            entry = Entry(line=number)
        entry.obsolete = entry.obsolete or obsolete
        current = keyword
        _set(entry, keyword, value, path, number)
    finish()
    return entries


def _set(entry, keyword, value, path, number):
    if keyword == "msgctxt":
        entry.msgctxt = value
    elif keyword == "msgid":
        entry.msgid = value
        entry.line = entry.line or number
    elif keyword == "msgid_plural":
        entry.msgid_plural = value
    elif keyword == "msgstr":
        entry.msgstr[0] = value
    elif (match := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) is not None:
        entry.msgstr[int(match.group(1))] = value
    else:
        raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")


def _append(entry, current, value):
    if current == "msgctxt":
        entry.msgctxt += value
    elif current == "msgid":
        entry.msgid += value
    elif current == "msgid_plural":
        entry.msgid_plural += value
    else:
        index = 0 if current == "msgstr" else int(current[7:-1])
        entry.msgstr[index] += value


def live_messages(entries):
    return [e for e in entries if e.msgid and not e.obsolete]


def catalogue_of(entries):
    """What msgfmt compiles: translated, non-fuzzy entries, keyed as Python's gettext keys them."""
    catalogue = {}
    for entry in live_messages(entries):
        if entry.fuzzy or not entry.translated:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is None:
            catalogue[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalogue[(key, index)] = text
    return catalogue


def placeholders(text, flag):
    names = PLACEHOLDER_RE[flag].findall(text)
    return sorted(names) if flag == "python-brace-format" else sorted(n for n in names if n)


def placeholder_problems(entries):
    problems = []
    for entry in live_messages(entries):
        if not entry.translated:
            continue
        for flag in ("python-format", "python-brace-format"):
            if flag not in entry.flags:
                continue
            expected = placeholders(entry.msgid, flag)
            allowed = set(expected) | set(placeholders(entry.msgid_plural or "", flag))
            for text in entry.msgstr.values():
                found = placeholders(text, flag)
                wrong = found != expected if entry.msgid_plural is None else not set(found) <= allowed
                if wrong:
                    problems.append(f"{entry.label()} has placeholders {found}, msgid has {sorted(allowed)}")
    return problems


def mo_problems(po_path, entries):
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path} is missing: run compilemessages"]
    with mo_path.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)
    if compiled == catalogue_of(entries):
        return []
    older = " and older than its .po" if mo_path.stat().st_mtime < po_path.stat().st_mtime else ""
    return [f"{mo_path} is stale (content differs from the .po{older}): run compilemessages"]


def vendor_problems(entries, language_dir):
    """The vi catalogue must keep every msgid of the third-party catalogues, translated."""
    problems = []
    ours = {(e.msgctxt, e.msgid): e for e in live_messages(entries)}
    for package, language in VENDOR_CATALOGUES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            problems.append(f"{package} is not installed: cannot check its msgids")
            continue
        source = (
            Path(next(iter(spec.submodule_search_locations))) / "locale" / language / "LC_MESSAGES/django.po"
        )
        for theirs in live_messages(parse_po(source)):
            entry = ours.get((theirs.msgctxt, theirs.msgid))
            if entry is None:
                problems.append(f"missing {package} msgid {theirs.label().split(': ', 1)[1]}")
            elif entry.fuzzy or not entry.translated:
                problems.append(
                    f"{entry.label()} ({package}) is {'fuzzy' if entry.fuzzy else 'untranslated'}"
                )
    return problems


def app_catalogue_problems(locale_dir):
    """English catalogues of apps beside locale_dir; their entries belong in locale/en."""
    root = locale_dir.resolve().parent
    return [
        f"{path.relative_to(root)}: app-level English catalogue; merge its entries into locale/en and remove it"
        for path in sorted(root.glob("*/locale/en/LC_MESSAGES/*.po"))
    ]


def check(locale_dir):
    report = {}
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        language = po_path.relative_to(locale_dir).parts[0]
        entries = parse_po(po_path)
        problems = []
        header = entries[0] if entries and not entries[0].msgid else None
        if header is not None and header.fuzzy:
            problems.append("the header is marked fuzzy")
        if language in STRICT_LANGUAGES:
            for entry in live_messages(entries):
                if entry.fuzzy:
                    problems.append(f"{entry.label()} is fuzzy")
                elif not entry.translated:
                    problems.append(f"{entry.label()} is untranslated")
        else:
            problems += [f"{e.label()} is fuzzy" for e in live_messages(entries) if e.fuzzy]
        if language == "en" and po_path.name == "django.po":
            problems += app_catalogue_problems(locale_dir)
        if language == "vi" and po_path.name == "django.po":
            problems += vendor_problems(entries, po_path.parent)
        problems += placeholder_problems(entries)
        problems += mo_problems(po_path, entries)
        report[po_path.relative_to(locale_dir.parent)] = problems
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--locale-dir", type=Path, default=BASE_DIR / "locale")
    parser.add_argument("--makemessages", action="store_true", help="run makemessages -l en first")
    args = parser.parse_args(argv)
    if args.makemessages:
        subprocess.run([sys.executable, *MAKEMESSAGES], cwd=BASE_DIR, check=True)
    report = check(args.locale_dir)
    if not report:
        print(f"no catalogues under {args.locale_dir}")
        return 1
    failed = False
    for path, problems in report.items():
        if problems:
            failed = True
            print(f"{path}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
