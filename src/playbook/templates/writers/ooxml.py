"""What the DOCX and XLSX writers share: reproducible Office Open XML zips (pure)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping


def normalize_zip(
    data: bytes, date: dt.datetime, replace: Mapping[str, bytes] | None = None, drop: frozenset[str] = frozenset()
) -> bytes:
    """Rewrite an OOXML zip with sorted entries, one fixed timestamp and fixed attributes (``drop``: leave out)."""
    stamp = max(date, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(set(source.namelist()) - drop):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, (replace or {}).get(name, source.read(name)), compresslevel=9)
    return out.getvalue()
