"""Translation status and stamps, from the repository alone (no git history, no file times).

    playbook translations status [--lang de]              # table and each problem: incomplete / missing / outdated
    playbook translations stamp docs/de/glossary.md       # this translation matches English now
    playbook translations stamp docs/en/glossary.md       # English edited: bump its "Last updated"
    playbook translations stamp data/ui.yml --lang de     # the de strings match English now
    playbook translations stamp --all                     # stamp everything not stamped yet

What a stamp records and how status is computed is explained in src/playbook/translations/status.py and
docs/en/contributing/translating.md. ``status`` exits 0 (with ``--strict``, 1 while anything is
incomplete, missing or outdated: the release deploy runs it); ``playbook check`` fails on incomplete
translations and lists missing or outdated ones as pending; ``stamp`` exits 2 when it cannot stamp.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.project import find_root
from playbook.translations import status as ts


def _relative(root: Path, path: str) -> str:
    """``path`` as given on the command line, relative to the project root, with ``/``."""
    p = Path(path)
    p = p.resolve() if p.is_absolute() else (Path.cwd() / p).resolve()
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _changed_since_commit(root: Path, rel: str, text: str) -> bool:
    """Whether the translation's text differs from its committed version (outside git: no)."""
    try:
        shown = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=root, capture_output=True, check=False)
    except OSError:
        return False
    return shown.returncode == 0 and shown.stdout.decode("utf-8", "replace") != text


def stamp_page(root: Path, rel: str, date: dt.date, default: str, codes: tuple[str, ...]) -> str:
    """Stamp one page; return a line saying what happened."""
    parts = rel.split("/", 2)
    if len(parts) < 3 or parts[0] != "docs" or parts[1] not in codes or not rel.endswith(".md"):
        raise ts.TranslationError(f"{rel}: expected docs/<lang>/<page>.md with <lang> one of {', '.join(codes)}")
    lang, page = parts[1], parts[2]
    path = root / rel
    if not path.is_file():
        raise ts.TranslationError(f"{rel}: no such page; translate docs/{default}/{page} into it first")
    english = root / "docs" / default / page
    text = path.read_text(encoding="utf-8")
    if lang == default:
        path.write_text(ts.stamp_page(text, date, None), encoding="utf-8")
        current = ts.source_hash(text, rel)
        behind = [
            c for c in codes if c != default and (root / "docs" / c / page).is_file()
            and ts.recorded_hash(ts.read_meta((root / "docs" / c / page).read_text(encoding="utf-8"), page)) != current
        ]  # fmt: skip
        state = f"translations to bring up to date: {', '.join(behind)}" if behind else "every translation matches it"
        return f"{rel}: updated {date}; {state}"
    if not english.is_file():
        raise ts.TranslationError(f"{rel}: no English source docs/{default}/{page}; delete the page or add the source")
    source = ts.source_hash(english.read_text(encoding="utf-8"), f"docs/{default}/{page}")
    if ts.recorded_hash(ts.read_meta(text, rel)) == source and not _changed_since_commit(root, rel, text):
        return f"{rel}: already up to date with docs/{default}/{page} ({source}); stamp and date kept"
    path.write_text(ts.stamp_page(text, date, source), encoding="utf-8")
    return f"{rel}: up to date with docs/{default}/{page} ({source}), updated {date}"


def stamp_data(root: Path, rel: str, langs: list[str], default: str, codes: tuple[str, ...]) -> list[str]:
    """Record in the lock file that ``langs`` of data file ``rel`` match its English strings."""
    path = root / rel
    if not path.is_file() or path not in ts.data_files(root):
        raise ts.TranslationError(f"{rel}: not a data file with translated strings (data/**/*.yml)")
    if not langs:
        raise ts.TranslationError(f"{rel}: say which language you brought up to date, e.g. `--lang {codes[-1]}`")
    report = ts.status(root)
    lock = ts.load_lock(root)
    done = []
    for lang in langs:
        if lang not in codes or lang == default:
            raise ts.TranslationError(f"--lang {lang}: expected one of {', '.join(c for c in codes if c != default)}")
        entry = next((e for e in report.entries if e.source == rel and e.lang == lang), None)
        if entry is None:
            raise ts.TranslationError(f"{rel}: has no English strings to translate")
        if entry.state == "missing":
            raise ts.TranslationError(f"{rel}: cannot stamp {lang}: {entry.detail}; {entry.fix}")
        data = ts.load_yaml(path, rel)
        digest = ts.strings_hash(data, default)
        lock.setdefault(rel, {})[lang] = digest
        lock[rel].setdefault(ts.SNAPSHOTS, {})[digest] = ts.field_hashes(data, default)
        done.append(f"{rel} [{lang}]: up to date with the English strings ({digest})")
    (root / ts.LOCK_FILE).write_text(ts.dump_lock(lock), encoding="utf-8")
    return done


def stamp_all(root: Path, date: dt.date) -> list[str]:
    """Stamp everything that has no stamp yet (pages, English dates, data languages); keep the rest."""
    report = ts.status(root)
    done = []
    codes = (report.default, *report.languages)
    for entry in report.entries:
        if entry.state != "outdated" or entry.recorded is not None:
            continue  # translated, missing, or stamped before: --all never hides a real change
        if entry.kind == "page":
            done.append(stamp_page(root, entry.target, date, report.default, codes))
        else:
            done += stamp_data(root, entry.source, [entry.lang], report.default, codes)
    for src in sorted((root / "docs" / report.default).rglob("*.md")):
        rel = src.relative_to(root).as_posix()
        if "updated" not in ts.read_meta(src.read_text(encoding="utf-8"), rel):
            done.append(stamp_page(root, rel, date, report.default, codes).split(";")[0])
    return done


def main(argv: list[str] | None = None) -> int:
    """Run the ``status`` or ``stamp`` command."""
    parser = argparse.ArgumentParser(prog="playbook translations", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    sub = parser.add_subparsers(dest="command", required=True)
    status_cmd = sub.add_parser("status", help="print the status table (exits 0 unless --strict)")
    status_cmd.add_argument("--lang", default=None, help="list only this language's problems under the table")
    status_cmd.add_argument("--strict", action="store_true", help="exit 1 if anything is not translated (releases)")
    stamp = sub.add_parser("stamp", help="mark translations as up to date with the current English source")
    stamp.add_argument("paths", nargs="*", help="docs/<lang>/<page>.md or data/<file>.yml")
    stamp.add_argument("--lang", action="append", default=[], help="language of a data file to stamp (repeatable)")
    stamp.add_argument("--all", action="store_true", help="stamp every page and data language not stamped yet")
    stamp.add_argument("--date", type=dt.date.fromisoformat, default=None, help="the `updated:` date (default: today)")
    args = parser.parse_args(argv)
    root: Path = args.root or find_root()
    lines: list[str] = []
    try:
        if args.command == "status":
            report = ts.status(root)
            print(ts.format_table(report))
            for entry in report.problems():
                if args.lang in (None, entry.lang):
                    print(f"\n{entry.target}: {entry.state}: {entry.detail}\n    fix: {entry.fix}")
            for orphan in report.orphans:
                print(f"{orphan}: no English source; delete it or add the English page")
            return 1 if args.strict and (report.problems() or report.orphans) else 0
        date = args.date or dt.date.today()
        if args.all == bool(args.paths):
            parser.error("give page or data file paths, or --all")
        langs = load_languages(root / "data")
        lines += stamp_all(root, date) if args.all else []
        for path in args.paths:
            rel = _relative(root, path)
            if rel.startswith("data/"):
                lines += stamp_data(root, rel, args.lang, langs.default, langs.codes)
            else:
                lines.append(stamp_page(root, rel, date, langs.default, langs.codes))
    except (ts.TranslationError, DataError) as exc:
        print("\n".join(lines + [f"error: {exc}"]), file=sys.stderr)
        return 2
    print("\n".join(lines) if lines else "nothing to stamp: every translation already has a stamp")
    return 0
