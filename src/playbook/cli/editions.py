"""``playbook editions``: rewrite the editions stylesheet at the root of gh-pages (see playbook.editions).

Run by ``make deploy-version`` after every ``mike deploy``, in the repository whose gh-pages it
rewrites; commits only when the stylesheet changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playbook.editions import STYLESHEET, EditionsError, build, write


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or print) gh-pages:editions.css."""
    parser = argparse.ArgumentParser(prog="playbook editions", description=__doc__.splitlines()[0])
    parser.add_argument("--branch", default="gh-pages", help="the published branch (default: gh-pages)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="for extra.version.default")
    parser.add_argument("--print", action="store_true", help="print the stylesheet, commit nothing")
    args = parser.parse_args(argv)
    repo = Path.cwd()
    try:
        text = build(repo, args.branch, args.config)
        if args.print:
            sys.stdout.write(text)
            return 0
        commit = write(repo, args.branch, text)
    except EditionsError as exc:
        print(f"playbook editions: {exc}", file=sys.stderr)
        return 1
    print(f"{args.branch}: {STYLESHEET} " + ("unchanged" if commit is None else f"written ({commit[:12]})"))
    return 0
