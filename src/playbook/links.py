"""Links that stay inside the edition a reader is in (pure).

mike serves every edition in a folder of its own (``/1.0/``, ``/latest/``), so a server-absolute
link such as ``/de/`` leaves it; :func:`site_relative` turns such links into paths relative to the
site root (static-i18n issue #265, see ``hooks/i18n_links.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit


def site_relative(link: str, site_url: str | None) -> str:
    """Return ``link`` relative to the site root if it is a server-absolute path inside the site."""
    if not link.startswith("/") or link.startswith("//"):
        return link  # already relative, or a full URL (static-i18n's `fixed_link`)
    prefix = urlsplit(site_url or "").path.rstrip("/") + "/"
    if not link.startswith(prefix):
        return link  # points outside this site: not ours to change
    return link[len(prefix) :] or "./"
