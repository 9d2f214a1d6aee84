"""Templates compiled once per process (playbook.partials.CompiledTemplates), never served stale."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from playbook import partials


def _env(folder: Path, cache: partials.CompiledTemplates) -> tuple[Environment, list[str]]:
    """A new environment over ``folder`` (as MkDocs makes one per build) that records its compiles."""
    env = Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=cache)
    compiled: list[str] = []
    compile_ = env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN202
        compiled.append(name)
        return compile_(source, name, filename, raw, defer_init)

    env.compile = counting  # type: ignore[method-assign]
    return env, compiled


def test_a_second_environment_reuses_the_code_an_edit_compiles_again(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    cache = partials.CompiledTemplates()
    first, first_compiles = _env(tmp_path, cache)
    assert first.get_template("page.html").render(name="de") == "Hello de"
    second, second_compiles = _env(tmp_path, cache)  # the next language's build
    assert second.get_template("page.html").render(name="ja") == "Hello ja"
    assert first_compiles == ["page.html"] and second_compiles == []
    (tmp_path / "page.html").write_text("Guten Tag {{ name }}", encoding="utf-8")  # edited under serve
    third, third_compiles = _env(tmp_path, cache)
    assert third.get_template("page.html").render(name="de") == "Guten Tag de"
    assert third_compiles == ["page.html"]


def test_the_theme_listing_leaves_out_only_what_mkdocs_drops(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    for name in ("main.html", "assets/extra.css", "partials/x.html", ".icons/a/b.svg", "assets/.hidden.css"):
        (overrides / name).parent.mkdir(parents=True, exist_ok=True)
        (overrides / name).write_text(name, encoding="utf-8")
    import material

    material_dir = str(Path(material.__file__).parent / "templates")
    folders = [str(overrides), material_dir]
    full = Environment(loader=FileSystemLoader(folders)).list_templates()
    visible = Environment(loader=partials.ThemeLoader(folders)).list_templates()
    hidden = [name for name in full if name.startswith(".") or "/." in name]
    assert len(hidden) > 10_000  # Material's icons
    assert visible == [name for name in full if name not in hidden]
    # The project's folder is walked every time: an override added under serve is listed.
    (overrides / "assets" / "new.css").write_text("p{}", encoding="utf-8")
    assert "assets/new.css" in Environment(loader=partials.ThemeLoader(folders)).list_templates()
    # Loading by name is unchanged, hidden folders included.
    loader = Environment(loader=partials.ThemeLoader(folders))
    assert loader.get_template(".icons/a/b.svg").render() == ".icons/a/b.svg"
