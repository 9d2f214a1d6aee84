"""Links that stay inside the edition a reader is in (pure).

mike serves every edition in a folder of its own (``/1.0/``, ``/latest/``), so a server-absolute
link such as ``/de/`` leaves it; :func:`site_relative` turns such links into paths relative to the
site root (static-i18n issue #265, see ``hooks/i18n_links.py``).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def site_relative(link: str, site_url: str | None) -> str:
    """Return ``link`` relative to the site root if it is a server-absolute path inside the site."""
    if not link.startswith("/") or link.startswith("//"):
        return link  # already relative, or a full URL (static-i18n's `fixed_link`)
    prefix = urlsplit(site_url or "").path.rstrip("/") + "/"
    if not link.startswith(prefix):
        return link  # points outside this site: not ours to change
    return link[len(prefix) :] or "./"


def hreflang_alternates(alternates: list[dict[str, str]], site_url: str | None, default: str) -> list[tuple[str, str]]:
    """``(hreflang, absolute URL)`` of every language's version of a page, then ``x-default``.

    ``alternates`` is Material's ``extra.alternate`` for the page (``lang`` and a ``link``
    relative to the site root, see :func:`site_relative`); ``site_url`` is the edition's root
    (mike adds the version to it), so every URL stays inside the edition. ``x-default`` is the
    default language's page. No ``site_url``: no absolute URLs to give, so none.
    """
    if not site_url:
        return []
    root = site_url if site_url.endswith("/") else site_url + "/"
    out = [(alt["lang"], urljoin(root, alt["link"])) for alt in alternates if alt.get("lang") and alt.get("link")]
    out += [("x-default", href) for lang, href in out if lang == default][:1]
    return out
