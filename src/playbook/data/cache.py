"""Load each data file once per build run: results memoised on the input files' bytes (pure).

static-i18n builds the site once per language and ``mkdocs serve`` rebuilds it on every edit;
:func:`memoise_on_files` returns the same result for the same input bytes within the process.
(Results used to be pickled into ``.cache/data/`` for the next build too; that saved under 5% of a
warm build, see ``bench/results.md``, so it was removed.) :func:`cache_folder` is the one place
that knows the ``.cache`` layout, which now holds only the downloads.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """Hash the names (relative to ``root``) and bytes of ``paths``; a missing file hashes as missing."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def memoise_on_files(
    inputs: Callable[[Path], Iterable[Path]], size: int = 8
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoise ``load(data_dir, *args)`` on the bytes of the files ``inputs(data_dir)`` lists.

    Each build asks for the same tables and templates many times, once per language and per page.
    Reading and hashing a few small files is far cheaper than parsing and validating them, and
    any edit changes the key, so a result is never stale. Failures are not memoised: a broken
    file fails every build until it is fixed. Results are shared, so they must be immutable
    (frozen dataclasses, tuples). At most ``size`` results are kept per loader.
    """

    def decorate(load: Callable[..., T]) -> Callable[..., T]:
        results: OrderedDict[tuple[Hashable, ...], T] = OrderedDict()

        @functools.wraps(load)
        def memoised(data_dir: Path, *args: Hashable) -> T:
            key = (str(data_dir), args, files_digest(inputs(data_dir), data_dir))
            if key in results:
                results.move_to_end(key)
                return results[key]
            result = load(data_dir, *args)
            results[key] = result
            while len(results) > size:
                results.popitem(last=False)
            return result

        memoised.cache_clear = results.clear  # type: ignore[attr-defined]
        return memoised

    return decorate


def cache_folder(project: Path | str, part: str) -> Path:
    """``<project>/.cache/<part>``: the build cache (git-ignored; ``downloads``).

    ``project`` is the project folder or its ``mkdocs.yml`` (``config.config_file_path``).
    """
    root = Path(project)
    return (root.parent if root.is_file() else root) / ".cache" / part
