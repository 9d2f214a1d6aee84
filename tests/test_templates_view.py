"""Unit tests for the pure worksheet renderers: views, funnel math, neutralising, escaping, bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import shutil
import threading
import zipfile
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import jinja2
import openpyxl
import pytest

from playbook.data import languages as data_languages
from playbook.templates import cache as download_cache
from playbook.templates import downloads, model
from playbook.templates import view as view_module
from playbook.templates.writers import csv as csv_writer
from playbook.templates.writers import docx as docx_writer
from playbook.templates.writers import markdown
from playbook.templates.writers import pdf as pdf_writer
from playbook.templates.writers import xlsx as xlsx_writer

ROOT = Path(__file__).resolve().parent.parent
LANGS = data_languages.load_languages(ROOT / "data")
CATALOG = model.load_catalog(ROOT / "data", LANGS)
DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def view(stem: str, lang: str = "en") -> view_module.WorksheetView:
    return view_module.views(CATALOG, lang, DATE)[stem]


def field(v: view_module.WorksheetView, field_id: str) -> view_module.FieldView:
    return next(f for s in v.sections for f in s.fields if f.id == field_id)


def test_funnel_math_is_computed_from_the_inputs() -> None:
    sla = view("sales-marketing-sla-example")
    values = {
        k: Fraction(str(v))
        for k, v in CATALOG.examples["sales-marketing-sla"].values.items()
        if isinstance(v, int | float)
    }
    # The funnel by hand: marketing's share of the goal, then each stage back from the deals, rounded up.
    want: dict[str, Fraction | int] = {"marketing-revenue": values["revenue-goal"] * values["marketing-share"]}
    want["deals-needed"] = math.ceil(want["marketing-revenue"] / values["average-deal-value"])
    chain = [
        ("opportunities-needed", "deals-needed", "opportunity-to-close"),
        ("sqls-needed", "opportunities-needed", "sql-to-opportunity"),
        ("sals-needed", "sqls-needed", "sal-to-sql"),
        ("mqls-needed", "sals-needed", "mql-to-sal"),
        ("lead-target", "mqls-needed", "lead-to-mql"),
        ("visitor-target", "lead-target", "visitor-to-lead"),
        ("monthly-lead-target", "lead-target", "period-months"),
        ("monthly-mql-target", "mqls-needed", "period-months"),
    ]
    for out, a, b in chain:
        want[out] = math.ceil(want[a] / values[b])
    want["sales-capacity"] = values["sales-reps"] * values["mqls-per-rep"]
    want["capacity-headroom"] = want["sales-capacity"] - want["monthly-mql-target"]
    assert {f: field(sla, f).cell.raw for f in want} == want
    # The spec's story (issue #15): 1,440,000 -> 720,000 -> 30 deals ... 1,250 leads, 105 and 42 a month.
    assert (want["deals-needed"], want["lead-target"], want["monthly-lead-target"], want["monthly-mql-target"]) == (
        30,
        1250,
        105,
        42,
    )
    assert field(sla, "lead-target").notes == "Calculated: MQLs needed ÷ Lead-to-MQL rate, rounded up"
    assert (
        field(sla, "marketing-revenue").notes
        == "Calculated: Revenue goal for the period × Marketing-sourced share of the goal"
    )
    assert field(sla, "marketing-revenue").cell.text == "$720,000"
    assert field(view("sales-marketing-sla"), "lead-target").cell.text == ""
    tracking = next(s for s in sla.sections if s.id == "tracking")
    for row, given in zip(tracking.rows, CATALOG.examples["sales-marketing-sla"].rows["tracking"], strict=True):
        assert row[3].raw == given["leads"] - want["monthly-lead-target"]
        assert row[4].raw == given["mqls"] - want["monthly-mql-target"]


@pytest.mark.parametrize(
    ("lang", "money", "rate", "count"),
    [
        ("en", "$1,440,000", "2.5%", "50,000"),
        ("de", "1.440.000\xa0$", "2,5\xa0%", "50.000"),
        ("ja", "$1,440,000", "2.5%", "50,000"),
        ("id", "US$1.440.000", "2,5%", "50.000"),
    ],
)
def test_values_are_formatted_per_language(lang: str, money: str, rate: str, count: str) -> None:
    sla = view("sales-marketing-sla-example", lang)
    assert field(sla, "revenue-goal").cell.text == money
    assert field(sla, "visitor-to-lead").cell.text == rate
    assert field(sla, "visitor-target").cell.text == count


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", "  =1+1", "＝1+1", "＋1", "－2", "＠x", "\u3000＝x"]
)
def test_neutralise_prefixes_formula_triggers(text: str) -> None:
    assert view_module.neutralise(text) == "'" + text


def test_neutralise_keeps_ordinary_text() -> None:
    assert view_module.neutralise("Lead target 2,000") == "Lead target 2,000"


def hostile_view() -> view_module.WorksheetView:
    """Return the blank upstream plan with formula-like and HTML text in a label and a summary."""
    base = view("upstream-plan")
    section = base.sections[0]
    first = replace(section.fields[0], label='=HYPERLINK("http://x","y")', notes="@cmd")
    return replace(
        base,
        summary="<script>alert(1)</script>",
        sections=(replace(section, fields=(first, *section.fields[1:])), *base.sections[1:]),
    )


def test_csv_neutralises_every_cell_and_declares_utf8() -> None:
    data = csv_writer.to_csv(hostile_view())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Row", "Item", "Your entry", "Unit", "Notes"]
    assert rows[1][2] == '\'=HYPERLINK("http://x","y")' and rows[1][5] == "'@cmd"
    assert not any(view_module.formula_like(cell) for row in rows for cell in row)


def test_xlsx_has_formulas_only_for_formula_fields() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_writer.to_xlsx(hostile_view())))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    assert '=HYPERLINK("http://x","y")' in [c.value for c in cells if c.data_type == "s"]
    sla = openpyxl.load_workbook(io.BytesIO(xlsx_writer.to_xlsx(view("sales-marketing-sla"))))
    formulas = [c.value for sheet in sla.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    sheet = CATALOG.worksheets["sales-marketing-sla"]
    fields = [f for s in sheet.sections for f in s.fields if f.formula]
    columns = [(s, c) for s in sheet.sections if s.table for c in s.table.columns if c.formula]
    assert len(formulas) == len(fields) + sum(s.table.blank_rows for s, _ in columns)
    assert all(f.startswith("=IF(") for f in formulas)
    rounded = sum(1 for f in fields if f.formula.op == "divide-round-up")
    assert sum("ROUNDUP(ROUND(" in f for f in formulas) == rounded


def test_preview_partial_escapes_html_from_data() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"))
    html = env.get_template("partials/worksheet-preview.html").render(view=hostile_view())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_markdown_escapes_table_cells() -> None:
    v = replace(
        view("upstream-plan-example"),
        sections=(
            replace(
                view("upstream-plan-example").sections[0],
                fields=(
                    replace(
                        field(view("upstream-plan-example"), "customer-segment"),
                        cell=view_module.Cell("a | b\nc", "a | b\nc", "text"),
                    ),
                ),
            ),
        ),
    )
    text = markdown.to_markdown(v).decode("utf-8")
    assert "| Customer segment | a \\| b<br>c |" in text


def test_markdown_prints_data_literally() -> None:
    """A value with emphasis, a link and HTML renders as exactly that text (Python-Markdown, as the site)."""
    import markdown as python_markdown

    hostile = "*x* [a](javascript:1) <b>"
    base = view("upstream-plan-example")
    first = replace(field(base, "customer-segment"), cell=view_module.Cell(hostile, hostile, "text"))
    v = replace(base, summary="# not a heading", sections=(replace(base.sections[0], fields=(first,)),))
    html = python_markdown.markdown(markdown.to_markdown(v).decode("utf-8"), extensions=["tables"])
    assert "<em>x</em>" not in html and "<a " not in html and "<b>" not in html and "<h1>not" not in html
    assert "*x* [a](javascript:1) &lt;b&gt;" in html
    assert "# not a heading" in html


def test_build_date_honours_source_date_epoch() -> None:
    assert view_module.build_date({}) == view_module.DEFAULT_DATE
    assert view_module.build_date({"SOURCE_DATE_EPOCH": "1767225600"}) == DATE
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        view_module.build_date({"SOURCE_DATE_EPOCH": "yesterday"})


def test_zip_entries_are_sorted_and_stamped() -> None:
    data = docx_writer.to_docx(view("upstream-plan", "de"))
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("ext", view_module.FORMATS)
def test_same_input_gives_same_bytes(ext: str) -> None:
    font = downloads.Assets(pdf_writer.find_font(), ROOT / "overrides")
    first = downloads.WRITERS[ext](view("sales-marketing-sla-example", "ja"), font)
    assert downloads.WRITERS[ext](view("sales-marketing-sla-example", "ja"), font) == first


def test_pdf_text_swaps_missing_glyphs_and_rejects_unknown_ones() -> None:
    cmap = {ord(c): "g" for c in "»«abc '"}
    assert pdf_writer.printable("\u201eabc\u201c", cmap) == "»abc«"
    with pytest.raises(pdf_writer.GlyphMissingError, match="'z'"):
        pdf_writer.printable("abz", cmap)


def test_missing_font_error_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(pdf_writer.FontMissingError, match="fonts-liberation2 fonts-morisawa-bizud-gothic"):
        pdf_writer.find_font([tmp_path], [tmp_path])


def test_cache_keeps_one_data_version() -> None:
    cache = download_cache.DownloadCache()
    calls: list[int] = []
    cache.reset("a")
    assert cache.get("en", "x", "md", lambda: calls.append(1) or b"1") == b"1"
    assert cache.get("en", "x", "md", lambda: calls.append(1) or b"2") == b"1"
    cache.reset("a")
    assert len(cache.entries) == 1 and calls == [1]
    cache.reset("b")
    assert cache.entries == {}


def test_disk_cache_serves_a_later_build_and_drops_stale_versions(tmp_path: Path) -> None:
    first = download_cache.DownloadCache(directory=tmp_path)
    first.reset("v1")
    assert first.get("de", "x", "pdf", lambda: b"made once") == b"made once"
    later = download_cache.DownloadCache(directory=tmp_path)  # a new build process
    later.reset("v1")
    assert later.get("de", "x", "pdf", lambda: pytest.fail("should come from disk")) == b"made once"
    later.reset("v2")  # data or code changed
    assert not (tmp_path / "v1").exists()
    assert later.get("de", "x", "pdf", lambda: b"new") == b"new"
    assert (tmp_path / "v2" / "de" / "x.pdf").read_bytes() == b"new"


def test_cache_key_changes_with_the_writer_code_inputs(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"font")
    date = view_module.build_date({})
    key = download_cache.cache_key("data", date, [font])
    assert key == download_cache.cache_key("data", date, [font])
    assert key != download_cache.cache_key("other data", date, [font])
    font.write_bytes(b"another font")
    assert key != download_cache.cache_key("data", date, [font])


@pytest.mark.parametrize(
    ("name", "argument", "expected"),
    [
        ("preview", "upstream-plan", ("preview", "upstream-plan", ("blank",))),
        ("preview", "upstream-plan example", ("preview", "upstream-plan", ("example",))),
        ("download", "sales-marketing-sla", ("download", "sales-marketing-sla", ("blank",))),
        ("download", "upstream-plan blank example", ("download", "upstream-plan", ("blank", "example"))),
    ],
)
def test_marker_arguments(name: str, argument: str, expected: tuple[str, str, tuple[str, ...]]) -> None:
    assert downloads.parse_marker(name, argument, CATALOG) == expected


@pytest.mark.parametrize(
    ("name", "argument", "message"),
    [
        ("graph", "upstream-plan", "unknown marker ws:graph"),
        ("preview", "nope", "known: downstream-campaign"),
        ("download", "upstream-plan filled", "'blank', 'example' or 'blank example'"),
        ("download", "upstream-plan example example", "'blank', 'example' or 'blank example'"),
        ("download", "upstream-plan blank example blank", "'blank', 'example' or 'blank example'"),
        ("preview", "upstream-plan blank example", "nothing, 'blank' or 'example'"),
    ],
)
def test_bad_marker_arguments(name: str, argument: str, message: str) -> None:
    with pytest.raises(KeyError, match=message):
        downloads.parse_marker(name, argument, CATALOG)


def test_download_sizes_fill_their_slots_in_the_language_and_escape() -> None:
    html = '<td><span class="playbook-size" data-size-of="de/downloads/x.pdf"></span></td>'
    assert downloads.fill_sizes(html, {"de/downloads/x.pdf": 40_000}, "de") == (
        '<td><span class="playbook-size">40 kB</span></td>'
    )
    assert "38 KB" in downloads.fill_sizes(html, {"de/downloads/x.pdf": 38_400}, "ja")
    with pytest.raises(KeyError):
        downloads.fill_sizes(html, {}, "de")


def test_download_uris_follow_static_i18n_layout() -> None:
    assert downloads.download_uri("en", "en", "upstream-plan", "pdf") == "downloads/upstream-plan.pdf"
    uri = downloads.download_uri("ja", "en", "upstream-plan-example", "md")
    assert uri == "ja/downloads/upstream-plan-example.md"
    assert downloads.source_uri("ja/downloads/x.md") == "ja/downloads/x.md.download"
    assert downloads.source_uri("ja/downloads/x.pdf") == "ja/downloads/x.pdf"


def test_parallel_writing_gives_the_bytes_of_one_by_one_writing(tmp_path: Path) -> None:
    font = downloads.Assets(pdf_writer.find_font(), ROOT / "overrides")
    cache = download_cache.DownloadCache(directory=tmp_path)
    cache.reset("parallel")
    writer = downloads.BackgroundWriter()
    started = writer.start(CATALOG, DATE, font, cache, processes=2)
    per_language = len(view_module.views(CATALOG, "en", DATE)) * len(view_module.FORMATS)
    assert started == per_language * len(LANGS.codes)
    assert writer.start(CATALOG, DATE, font, cache, processes=2) == 0  # the next language build adds nothing
    plan = downloads.plan_downloads(CATALOG, "de", DATE, font, cache, writer)
    assert plan["de/downloads/upstream-plan.pdf"] == tmp_path / "parallel" / "de" / "upstream-plan.pdf"
    for lang in LANGS.codes:
        writer.finish(lang, cache)
    assert writer.pool is None and not writer.pending  # all collected: the workers are gone
    for lang in LANGS.codes:
        for stem, v in view_module.views(CATALOG, lang, DATE).items():
            for ext in view_module.FORMATS:
                made_here = downloads.WRITERS[ext](v, font)
                assert (tmp_path / "parallel" / lang / f"{stem}.{ext}").read_bytes() == made_here, f"{lang}/{stem}"
    assert plan.keys() == downloads.plan_downloads(CATALOG, "de", DATE, font, cache, writer).keys()
    assert writer.start(CATALOG, DATE, font, cache, processes=2) == 0  # everything is in the cache now


def test_in_the_background_pages_do_not_wait_and_the_files_follow(tmp_path: Path) -> None:
    """Under serve: a file being written stands in with its earlier bytes (or none), then arrives."""
    font = downloads.Assets(pdf_writer.find_font(), ROOT / "overrides")
    cache = download_cache.DownloadCache(directory=tmp_path)
    cache.reset("background")
    cache.versions = downloads.versions(CATALOG, DATE)
    stems = downloads.stems(CATALOG)
    for lang in LANGS.codes:  # only the Markdown and CSV files are left to write (fast)
        for stem in stems:
            for ext in ("pdf", "docx", "xlsx"):
                cache.put(lang, stem, ext, b"written earlier")
    earlier = cache.path("de", "upstream-plan", "csv").with_name("upstream-plan.0123456789abcdef.csv")
    earlier.parent.mkdir(parents=True, exist_ok=True)
    earlier.write_bytes(b"the CSV before the edit")
    written = threading.Event()
    writer = downloads.BackgroundWriter()
    try:
        with writer.lock:  # no file can arrive meanwhile
            assert (
                writer.start(CATALOG, DATE, font, cache, 2, on_written=written.set) == len(LANGS.codes) * len(stems) * 2
            )
            plan = downloads.plan_downloads(CATALOG, "de", DATE, font, cache, writer, background=True)
            assert plan["de/downloads/upstream-plan.csv"] == b"the CSV before the edit"
            assert plan["de/downloads/upstream-plan.md"] == b""  # no earlier version
            assert plan["de/downloads/upstream-plan.pdf"] == cache.path("de", "upstream-plan", "pdf")
        assert written.wait(timeout=300), "on_written was never called"
        assert not writer.pending
        for lang in LANGS.codes:
            for stem, v in view_module.views(CATALOG, lang, DATE).items():
                for ext in ("md", "csv"):
                    assert cache.path(lang, stem, ext).read_bytes() == downloads.WRITERS[ext](v, font), (
                        f"{lang}/{stem}.{ext}"
                    )
        assert not earlier.exists()  # the new version replaced it
    finally:
        writer.close(cancel=True)


def test_bytes_of_a_version_the_build_has_left_behind_are_dropped(tmp_path: Path) -> None:
    cache = download_cache.DownloadCache(directory=tmp_path)
    cache.reset("versions")
    cache.versions = {("de", "upstream-plan"): "new"}
    cache.put("de", "upstream-plan", "csv", b"from the old view", version="old")  # a slow worker, after an edit
    assert not cache.has("de", "upstream-plan", "csv")
    cache.put("de", "upstream-plan", "csv", b"from the new view", version="new")
    assert cache.path("de", "upstream-plan", "csv").read_bytes() == b"from the new view"


def test_a_download_still_being_written_gets_no_size_yet() -> None:
    html = '<span class="playbook-size" data-size-of="de/downloads/x.pdf"></span>'
    html += '<span class="playbook-size" data-size-of="de/downloads/x.csv"></span>'
    filled = downloads.fill_sizes(html, {"de/downloads/x.csv": 2_000}, "de", pending={"de/downloads/x.pdf"})
    assert filled == '<span class="playbook-size"></span><span class="playbook-size">2 kB</span>'


def test_one_process_writes_the_files_itself(tmp_path: Path) -> None:
    cache = download_cache.DownloadCache(directory=tmp_path)
    cache.reset("serial")
    writer = downloads.BackgroundWriter()
    assert (
        writer.start(CATALOG, DATE, downloads.Assets(pdf_writer.find_font(), ROOT / "overrides"), cache, processes=1)
        == 0
    )
    plan = downloads.plan_downloads(
        CATALOG, "ja", DATE, downloads.Assets(pdf_writer.find_font(), ROOT / "overrides"), cache, writer
    )
    assert all(isinstance(content, bytes) for content in plan.values())
    assert plan["ja/downloads/sales-marketing-sla.csv"].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM


def test_a_failure_in_a_worker_fails_the_build_with_its_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    labels = data / "worksheets" / "common" / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace("en: Item\n", "en: Item \u0915\n", 1), encoding="utf-8")  # not in the font
    catalog = model.load_catalog(data, LANGS)
    cache = download_cache.DownloadCache(directory=tmp_path / "cache")
    cache.reset("broken")
    writer = downloads.BackgroundWriter()
    writer.start(catalog, DATE, downloads.Assets(pdf_writer.find_font(), ROOT / "overrides"), cache, processes=2)
    with pytest.raises(pdf_writer.GlyphMissingError, match="\u0915|0915"):
        writer.finish("en", cache)
    assert writer.pool is None and not writer.pending  # the rest is dropped, the workers stopped


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("3", 3), (" 2 ", 2)])
def test_worker_count_can_be_set(value: str, expected: int) -> None:
    assert downloads.workers({"PLAYBOOK_BUILD_WORKERS": value}) == expected
    assert downloads.workers({}) >= 1


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_bad_worker_count_is_refused_with_what_to_write(value: str) -> None:
    with pytest.raises(ValueError, match=r"PLAYBOOK_BUILD_WORKERS=.*whole number of processes, 1 or more"):
        downloads.workers({"PLAYBOOK_BUILD_WORKERS": value})


def test_views_come_back_from_the_cache_folder_unchanged(tmp_path: Path) -> None:
    fresh = dict(view_module.views(CATALOG, "id", DATE, tmp_path))
    assert len(list(tmp_path.glob("views-id-*.pickle"))) == 1
    view_module._views.clear()  # as in a new build process
    assert dict(view_module.views(CATALOG, "id", DATE, tmp_path)) == fresh
    later = DATE + dt.timedelta(days=1)  # another build date: other views, and only the newest file kept
    assert view_module.views(CATALOG, "id", later, tmp_path)["upstream-plan"].date == later
    assert len(list(tmp_path.glob("views-id-*.pickle"))) == 1


def test_a_data_edit_to_one_template_rewrites_only_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what changed is rewritten: the other templates' files come from the cache, byte for byte."""
    import shutil

    from playbook.data.languages import load_languages

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    written: list[tuple[str, str]] = []
    real = dict(downloads.WRITERS)

    def counting(ext: str):  # noqa: ANN202 - a test double
        return lambda v, assets: written.append((v.stem, ext)) or real[ext](v, assets)

    monkeypatch.setattr(downloads, "WRITERS", {ext: counting(ext) for ext in real})
    assets = downloads.Assets(pdf_writer.find_font(), ROOT / "overrides")

    def build() -> dict[str, bytes]:
        catalog = model.load_catalog(data, load_languages(data))
        cache = download_cache.DownloadCache(directory=tmp_path / "cache")
        cache.reset("shared")
        cache.versions = downloads.versions(catalog, DATE)
        out: dict[str, bytes] = {}
        for lang in catalog.languages.codes:
            for uri, source in downloads.plan_downloads(catalog, lang, DATE, assets, cache).items():
                out[uri] = source.read_bytes() if isinstance(source, Path) else source
        return out

    first = build()
    assert len(written) == 120
    written.clear()
    sheet = data / "worksheets" / "downstream-campaign.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Campaign goal", "Campaign aim"), encoding="utf-8")
    second = build()
    # The English title changed: the two downstream-campaign files in English, every format.
    assert sorted(written) == sorted(
        (s, e) for s in ("downstream-campaign", "downstream-campaign-example") for e in view_module.FORMATS
    )
    changed = {uri for uri in first if first[uri] != second[uri]}
    assert changed == {downloads.download_uri("en", "en", s, e) for s, e in written}
    written.clear()
    assert build() == second and not written  # nothing changed: nothing written
