"""The ``playbook`` command line (also ``python -m playbook``): one command per contributor task.

    playbook build                      strict build; replaces site/ only when it succeeded
    playbook check                      every contributor check at once (exit 1 on any problem)
    playbook translations status|stamp  translation status table; mark translations up to date
    playbook sync-config [--check]      regenerate the i18n block of mkdocs.yml from data/languages.yml
    playbook bench [--quick]            benchmark the build; rewrites bench/results.md
    playbook page-weight SITE [--write] first-view transfer size per page against bench/budget.json
    playbook editions [--print]         rewrite gh-pages:editions.css (which editions are older; the deploy runs it)

Each command has ``--help``; its module's ``main`` returns the exit code.
"""

from __future__ import annotations

import importlib
import sys

#: Command -> (module, one-line summary). The module's ``main(argv)`` runs it.
COMMANDS = {
    "build": ("playbook.cli.build", "strict build into site/, replacing it only when the build succeeded"),
    "check": ("playbook.cli.check", "every contributor check at once: links, translations, data, config, formatting"),
    "translations": ("playbook.cli.translations", "translation status (status) and stamps (stamp)"),
    "sync-config": ("playbook.cli.sync_config", "regenerate the i18n block of mkdocs.yml from data/languages.yml"),
    "bench": ("playbook.cli.bench", "benchmark the build and record bench/results.md"),
    "page-weight": ("playbook.cli.page_weight", "first-view transfer size per page against bench/budget.json"),
    "editions": ("playbook.cli.editions", "rewrite gh-pages:editions.css, the older editions (the deploy runs it)"),
}


def usage() -> str:
    """The top-level help text."""
    width = max(map(len, COMMANDS))
    lines = ["usage: playbook <command> [options]   (playbook <command> --help for its options)", "", "commands:"]
    lines += [f"  {name:<{width}}  {summary}" for name, (_, summary) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit 2 on an unknown one."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage(), file=sys.stdout if args else sys.stderr)
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"playbook: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    return importlib.import_module(COMMANDS[name][0]).main(rest)
