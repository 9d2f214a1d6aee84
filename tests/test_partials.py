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

