"""The live funnel calculator on the SLA template and worked-example pages (pure).

Markers (hooks/markers.py): ``<!-- calc:funnel -->``, the calculator, and
``<!-- calc:steps -->``, the same arithmetic written out step by step with the worked example's
figures (:func:`steps`), so a page explains the funnel without typing one of its numbers. The
calculator is the funnel section of the Sales & Marketing SLA template
(``data/worksheets/sales-marketing-sla.yml``): its number fields, and its formula fields in
order, each computed like its XLSX formula
(:mod:`playbook.templates.formulas`: ``divide-round-up`` is ``ceil(round(a / b, 6))`` and
``ROUNDUP(ROUND(a/b,6),0)``; ``multiply``, ``multiply-round-up``, ``divide`` and ``subtract``
likewise). A sum over a table has no place in it (its rows are not on the calculator). Labels come from the
template (one term per concept), the starting figures and the no-JavaScript results from the
worked example. overrides/partials/funnel-calculator.html renders it; its script recomputes
the formulas in the browser with the same rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from playbook.templates.formulas import Formula, order
from playbook.templates.model import NUMERIC_KINDS, Catalog
from playbook.templates.view import affixes, evaluate, format_result, format_value

NAMESPACE = "calc"
#: The template and section the calculator is made of.
SHEET, SECTION = "sales-marketing-sla", "funnel"


@dataclass(frozen=True)
class Input:
    """One figure the reader types; percentages are typed as percent (25 for 25 %)."""

    id: str
    label: str
    kind: str
    value: float
    step: str
    unit: str

    @property
    def text(self) -> str:
        """The value as an ``<input type="number">`` holds it (no ".0" on whole numbers)."""
        return str(int(self.value)) if float(self.value).is_integer() else repr(self.value)


@dataclass(frozen=True)
class Output:
    """One calculated target: ``formula`` over the inputs and the targets before it."""

    id: str
    label: str
    args: tuple[str, ...]
    value: int | float | None
    text: str
    op: str = "divide-round-up"
    result: str = "number"
    #: The text around the digits (``$`` before, ``\xa0%`` after ...), so the script prints what Python prints.
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Funnel:
    """The calculator in one language."""

    lang: str
    currency: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]


def as_typed(value: float, kind: str) -> float:
    """The figure as the reader types it: a rate of 0.025 is typed 2.5 (percent)."""
    return round(value * 100, 6) if kind == "percent" else value


def funnel(catalog: Catalog, lang: str) -> Funnel:
    """The calculator for ``lang``, filled in with the worked example's figures."""
    sheet = catalog.worksheets[SHEET]
    example = catalog.examples[SHEET]
    section = next(s for s in sheet.sections if s.id == SECTION)
    numbers: dict[str, float | int | None] = {}
    inputs: list[Input] = []
    outputs: list[Output] = []
    for field in section.fields:
        if field.formula is None and field.kind in NUMERIC_KINDS:
            value = float(example.values[field.id])  # type: ignore[arg-type]
            numbers[field.id] = value
            typed = as_typed(value, field.kind)
            unit = {"percent": "%", "currency": example.currency}.get(field.kind, "")
            step = "any" if field.kind in ("percent", "currency") else "1"
            inputs.append(Input(field.id, field.label[lang], field.kind, typed, step, unit))
    formulas = {f.id: f.formula for f in section.fields if f.formula is not None}
    for fid, formula in formulas.items():
        if formula.op == "sum" or any(a not in numbers and a not in formulas for a in formula.args):
            raise ValueError(
                f"{SHEET}.{fid}: the funnel calculator computes only from the {SECTION} section's own fields; "
                f"{formula.op} of {', '.join(formula.args)} reaches outside it"
            )
    position = {fid: index for index, fid in enumerate(order(formulas))}
    for fid, formula in formulas.items():
        if any(position.get(a, -1) > position[fid] for a in formula.args):
            raise ValueError(f"{SHEET}.{fid}: the funnel calculator needs every target after the targets it uses")
        field = sheet.field(fid)
        result = evaluate(formula, numbers)
        numbers[fid] = result
        text = format_result(result, formula, lang, example.currency)
        before, after = affixes(lang, formula.result, example.currency)
        outputs.append(
            Output(fid, field.label[lang], formula.args, result, text, formula.op, formula.result, before, after)
        )
    return Funnel(lang, example.currency, tuple(inputs), tuple(outputs))


#: Marker names of the ``calc:`` namespace.
MARKER_NAMES = ("funnel", "steps")
#: How each operation is written between its operands.
SIGNS = {"divide-round-up": " ÷ ", "divide": " ÷ ", "multiply": " × ", "multiply-round-up": " × ", "subtract": " − "}


@dataclass(frozen=True)
class Step:
    """One line of the funnel arithmetic: ``label = expression [= exact →] result``."""

    id: str
    label: str
    expression: str
    #: The unrounded quotient or product when rounding up changed it (``104.17``), else "".
    exact: str
    result: str


def steps(catalog: Catalog, lang: str) -> tuple[Step, ...]:
    """The funnel section's formulas in order, each with the worked example's figures, in ``lang``."""
    funnel_ = funnel(catalog, lang)
    sheet = catalog.worksheets[SHEET]
    texts = {o.id: o.text for o in funnel_.outputs}
    values: dict[str, float | int | None] = {o.id: o.value for o in funnel_.outputs}
    for item in funnel_.inputs:
        raw = catalog.examples[SHEET].values[item.id]
        values[item.id] = raw  # type: ignore[assignment]
        texts[item.id] = format_value(raw, item.kind, lang, funnel_.currency)  # type: ignore[arg-type]
    out = []
    for output in funnel_.outputs:
        sign = SIGNS[output.op]
        expression = sign.join(texts[arg] for arg in output.args)
        exact = ""
        if output.op.endswith("-round-up") and output.value is not None:
            plain = "divide" if output.op == "divide-round-up" else "multiply"
            unrounded = evaluate(Formula(plain, output.args), values)
            if unrounded is not None and unrounded != output.value:
                exact = format_decimal(round(float(unrounded), 2), locale=lang)
        out.append(Step(output.id, sheet.field(output.id).label[lang], expression, exact, output.text))
    return tuple(out)


def check_marker(name: str, argument: str) -> None:
    """Raise KeyError (the marker error's text) unless this is ``<!-- calc:funnel -->`` or ``<!-- calc:steps -->``."""
    if name not in MARKER_NAMES or argument:
        raise KeyError("unknown calculator marker; write <!-- calc:funnel --> or <!-- calc:steps --> (no argument)")
