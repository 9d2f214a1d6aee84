"""Keep loaded data between builds: memoised on the input files' bytes (pure).

static-i18n builds the site once per language and ``mkdocs serve`` rebuilds it on every edit;
:func:`memoise_on_files` returns the same result for the same input bytes, in memory and pickled
in ``<project>/.cache/data/``. :func:`cache_folder` is the one place that knows the ``.cache``
layout.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from playbook.data.schemas import SCHEMA_DIR

T = TypeVar("T")
#: The package's own code: a cached result depends on it.
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """Hash the names (relative to ``root``) and bytes of ``paths``; a missing file hashes as missing."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def code_digest() -> str:
    """Hash of what a loaded result depends on besides the data: this code, the schemas, the libraries."""
    global _CODE_DIGEST  # noqa: PLW0603 - computed once per process
    if _CODE_DIGEST is None:
        h = hashlib.sha256(f"{sys.version}\n".encode())
        for path in sorted([*PACKAGE_DIR.rglob("*.py"), *SCHEMA_DIR.glob("*.json")]):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        for name in ("PyYAML", "jsonschema"):
            h.update(f"{name}=={metadata.version(name)}\n".encode())
        _CODE_DIGEST = h.hexdigest()
    return _CODE_DIGEST


_CODE_DIGEST: str | None = None


def memoise_on_files(
    inputs: Callable[[Path], Iterable[Path]], disk: Callable[[Path], Path] | None = None, size: int = 8
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoise ``load(data_dir, *args)`` on the bytes of the files ``inputs(data_dir)`` lists.

    static-i18n builds the site once per language and ``mkdocs serve`` rebuilds it on every edit;
    each build asks for the same tables and templates many times. Reading and hashing a few small
    files is far cheaper than parsing and validating them, and any edit changes the key, so a
    result is never stale. Failures are not memoised: a broken file fails every build until it is
    fixed. Results are shared, so they must be immutable (frozen dataclasses, tuples).

    With ``disk`` (``data_dir`` -> a folder, e.g. ``<project>/.cache/data``) a result is also
    pickled there, keyed on the same bytes plus this code, the schemas and the library versions,
    so the next build of unchanged data skips parsing and validation too. Only the newest result
    of each loader is kept; an unreadable file there is ignored and written again.
    """

    def decorate(load: Callable[..., T]) -> Callable[..., T]:
        results: OrderedDict[tuple[Hashable, ...], T] = OrderedDict()
        name = f"{load.__module__}.{load.__qualname__}"

        def from_disk(data_dir: Path, args: tuple[Hashable, ...], digest: str) -> T:
            if disk is None:
                return load(data_dir, *args)
            key = hashlib.sha256(f"{name}\n{args!r}\n{digest}\n{code_digest()}".encode()).hexdigest()[:32]
            path = disk(data_dir) / f"{name}-{key}.pickle"
            result = read_pickle(path)
            if result is MISSING:
                result = load(data_dir, *args)
                write_pickle(path, result, f"{name}-*.pickle")
            return result

        @functools.wraps(load)
        def memoised(data_dir: Path, *args: Hashable) -> T:
            digest = files_digest(inputs(data_dir), data_dir)
            key = (str(data_dir), args, digest)
            if key in results:
                results.move_to_end(key)
                return results[key]
            result = from_disk(data_dir, args, digest)
            results[key] = result
            while len(results) > size:
                results.popitem(last=False)
            return result

        memoised.cache_clear = results.clear  # type: ignore[attr-defined]
        return memoised

    return decorate


#: What :func:`read_pickle` returns when there is nothing usable.
MISSING: Any = object()


def read_pickle(path: Path) -> Any:
    """A value pickled by :func:`write_pickle`, or ``MISSING`` if the file is absent or unreadable."""
    try:
        return pickle.loads(path.read_bytes())  # noqa: S301 - the project's own cache folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
        return MISSING


def write_pickle(path: Path, value: Any, stale: str) -> None:
    """Pickle ``value`` to ``path`` atomically, first removing older files matching ``stale``.

    Errors are ignored: a read-only checkout still builds, only without the cache.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(stale):
            old.unlink(missing_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        pass


def cache_folder(project: Path | str, part: str) -> Path:
    """``<project>/.cache/<part>``: the build caches (git-ignored; ``data``, ``downloads``).

    ``project`` is the project folder or its ``mkdocs.yml`` (``config.config_file_path``).
    """
    root = Path(project)
    return (root.parent if root.is_file() else root) / ".cache" / part


def project_cache(data_dir: Path) -> Path:
    """``<project>/.cache/data`` for a project's ``data/`` folder."""
    return cache_folder(data_dir.parent, "data")
