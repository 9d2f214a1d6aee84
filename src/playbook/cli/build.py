"""``playbook build``: a strict build that replaces ``site/`` only when it succeeded (``make build``).

MkDocs empties its ``site_dir`` before it renders, and a failure late in the build (a broken link
in strict mode, a hook error in the third language) would leave ``site/`` empty or half old. This
command builds into ``.site-staging/`` beside it and swaps the folders only after a clean strict
build, so a failed build leaves the previous ``site/`` byte for byte as it was.

    playbook build             # strict build into site/
    playbook build --site-dir public
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from playbook.project import find_root


def build(root: Path, site: Path) -> int:
    """Build ``root`` into a staging folder, then swap it in for ``site``; return the build's exit code."""
    staging = site.with_name(f".{site.name}-staging")
    previous = site.with_name(f".{site.name}-previous")
    for folder in (staging, previous):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)]
    code = subprocess.run(command, cwd=root, env=env, check=False).returncode
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        kept = f"{site.name}/ is unchanged" if site.exists() else f"no {site.name}/ was written"
        print(f"playbook build: the build failed; {kept}. Fix the problems above and run it again.", file=sys.stderr)
        return code
    if site.exists():
        site.rename(previous)
    staging.rename(site)
    shutil.rmtree(previous, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the options and build."""
    parser = argparse.ArgumentParser(prog="playbook build", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    parser.add_argument("--site-dir", default="site", help="output folder, relative to the project (default: site)")
    args = parser.parse_args(argv)
    root = (args.root or find_root()).resolve()
    return build(root, root / args.site_dir)
