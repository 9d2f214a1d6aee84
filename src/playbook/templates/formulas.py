"""The templates' formula engine: operations, their checks and their arithmetic (pure).

A field of kind ``formula`` (or a table column of kind ``formula``) names an operation and its
arguments in the template data::

    formula: {op: divide-round-up, args: [revenue-goal, average-deal-value]}
    formula: {op: multiply, args: [revenue-goal, marketing-share], result: currency}
    formula: {op: sum, args: [channels.budget], result: currency}

Arguments are ids of number, percent, currency or formula fields; a table column's formula may
also name columns of its own row, and ``sum`` names one numeric column of a table section as
``<section>.<column>``. Formulas may refer to each other in any order as long as there is no
cycle; :func:`order` finds the order to compute them in. Every operation is computed here in
Python (the downloads' figures, the pages, the calculator's no-JavaScript results) and written
by the XLSX writer as the live formula :func:`excel` returns, so a planner who changes an input
sees every figure follow, with the same rounding:

=====================  ================================  ========================================
op                     Python                            Excel / LibreOffice
=====================  ================================  ========================================
``divide-round-up``    ``ceil(round(a / b, 6))``         ``ROUNDUP(ROUND(a/b,6),0)``
``divide``             ``a / b``                         ``a/b``
``multiply``           ``a × b [× c ...]``               ``a*b[*c...]``
``multiply-round-up``  ``ceil(round(a × b [× ...], 6))`` ``ROUNDUP(ROUND(a*b[*...],6),0)``
``subtract``           ``a − b``                         ``a-b``
``sum``                sum of the column's filled cells  ``SUM(range)``
=====================  ================================  ========================================

A result is blank (None; ``""`` in the XLSX) while an argument is blank, when a divisor is zero
and for a sum of an empty column. Rounding to six decimals before rounding up keeps a product
such as 500 × 0.096 = 48.000000000000004 at 48. ``result`` (number, currency or percent; number
by default) says how the figure is printed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Operation -> (fewest arguments, most arguments or None for no limit).
ARITY: dict[str, tuple[int, int | None]] = {
    "divide-round-up": (2, 2),
    "divide": (2, 2),
    "multiply": (2, None),
    "multiply-round-up": (2, None),
    "subtract": (2, 2),
    "sum": (1, 1),
}
OPS = tuple(ARITY)
#: How a result is printed (the kind of the figure it stands for).
RESULTS = ("number", "currency", "percent")
#: Kinds whose values are numbers a formula can use.
NUMERIC = frozenset({"number", "percent", "currency", "formula"})
#: Results are tidied to this many decimals, so 0.4 × 0.8 × 0.5 × 0.6 prints as 9.6 %, not 9.600000000000002 %.
TIDY_DECIMALS = 10


@dataclass(frozen=True)
class Formula:
    """A computed field or column: ``op`` over ``args``, printed as ``result``; live in the XLSX."""

    op: str
    args: tuple[str, ...]
    result: str = "number"

    @property
    def display_kind(self) -> str:
        """The kind its cells are formatted as: ``formula`` (a count) or the currency/percent result."""
        return "formula" if self.result == "number" else self.result

    @property
    def column(self) -> tuple[str, str] | None:
        """For ``sum``: (table section id, column id)."""
        if self.op != "sum":
            return None
        table, _, column = self.args[0].partition(".")
        return table, column


def parse(data: Mapping[str, Any]) -> Formula:
    """The Formula of a checked ``formula:`` mapping."""
    return Formula(data["op"], tuple(data["args"]), data.get("result", "number"))


def _tidy(value: float) -> int | float:
    value = round(value, TIDY_DECIMALS)
    return int(value) if value.is_integer() else value


Number = float | int


def evaluate(formula: Formula, values: Mapping[str, Any]) -> Number | None:
    """Compute ``formula`` from ``values`` (argument id -> number or None; for ``sum`` a list of cells)."""
    if formula.op == "sum":
        cells = [v for v in values.get(formula.args[0]) or () if v is not None and v != ""]
        return _tidy(sum(float(v) for v in cells)) if cells else None
    args = [values.get(arg) for arg in formula.args]
    if any(a is None or a == "" for a in args):
        return None
    numbers = [float(a) for a in args]
    if formula.op in ("divide", "divide-round-up"):
        if not numbers[1]:
            return None
        quotient = numbers[0] / numbers[1]
        return math.ceil(round(quotient, 6)) if formula.op == "divide-round-up" else _tidy(quotient)
    if formula.op in ("multiply", "multiply-round-up"):
        product = math.prod(numbers)
        return math.ceil(round(product, 6)) if formula.op == "multiply-round-up" else _tidy(product)
    if formula.op == "subtract":
        return _tidy(numbers[0] - numbers[1])
    raise ValueError(f"unknown formula op {formula.op!r}")


def excel(formula: Formula, refs: Sequence[str]) -> str:
    """The Excel formula (without ``=``) of ``formula`` over cell references ``refs`` (a range for sum)."""
    if formula.op == "sum":
        (cells,) = refs
        return f'IF(COUNT({cells})=0,"",SUM({cells}))'
    guard = [f'{ref}=""' for ref in refs]
    if formula.op in ("divide", "divide-round-up"):
        guard.append(f"{refs[1]}=0")
        body = f"{refs[0]}/{refs[1]}"
    elif formula.op in ("multiply", "multiply-round-up"):
        body = "*".join(refs)
    elif formula.op == "subtract":
        body = f"{refs[0]}-{refs[1]}"
    else:
        raise ValueError(f"unknown formula op {formula.op!r}")
    if formula.op.endswith("-round-up"):
        body = f"ROUNDUP(ROUND({body},6),0)"
    return f'IF(OR({",".join(guard)}),"",{body})'


# -- Checks -----------------------------------------------------------------------------------

Error = Callable[[tuple[str | int, ...], str], str]


def _arity(op: str) -> str:
    low, high = ARITY[op]
    if high == low:
        return f"exactly {low} argument{'s' if low > 1 else ''}"
    return f"at least {low} arguments"


def check(sections: list[dict[str, Any]], error: Error) -> list[str]:
    """Problems with the formulas of a template's sections (data already checked by the schema).

    Each message names the field (``error`` adds file and line): an unknown operation, the wrong
    number of arguments, an argument that is no numeric field (or column), and cycles.
    """
    problems: list[str] = []
    kinds: dict[str, str] = {}  # field id -> kind
    tables: dict[str, dict[str, str]] = {}  # table section id -> column id -> kind
    for section in sections:
        for field in section.get("fields", []):
            kinds[field["id"]] = field["kind"]
        if "table" in section:
            tables[section["id"]] = {c["id"]: c["kind"] for c in section["table"]["columns"]}
    numeric_fields = sorted(k for k, kind in kinds.items() if kind in NUMERIC)
    graph: dict[str, list[str]] = {}
    where_of: dict[str, tuple[str | int, ...]] = {}
    for s_index, section in enumerate(sections):
        items: list[tuple[tuple[str | int, ...], dict[str, Any], str | None]] = []
        for f_index, field in enumerate(section.get("fields", [])):
            items.append((("sections", s_index, "fields", f_index), field, None))
        for c_index, column in enumerate(section.get("table", {}).get("columns", [])):
            items.append((("sections", s_index, "table", "columns", c_index), column, section["id"]))
        for where, item, table in items:
            formula = item.get("formula")
            if (item["kind"] == "formula") != (formula is not None):
                problems.append(error(where, "a field or column has 'formula' exactly when its kind is 'formula'"))
                continue
            if formula is None:
                continue
            node = f"{table}.{item['id']}" if table else item["id"]
            where_of[node] = where
            graph[node] = []
            op, args = formula["op"], formula["args"]
            if op not in ARITY:
                problems.append(error(where + ("formula", "op"), f"unknown op {op!r}; write one of {', '.join(OPS)}"))
                continue
            low, high = ARITY[op]
            if len(args) < low or (high is not None and len(args) > high):
                problems.append(
                    error(where + ("formula", "args"), f"{op} takes {_arity(op)}, found {len(args)}: {args!r}")
                )
                continue
            if op == "sum" and "result" in formula and formula["result"] == "percent":
                problems.append(error(where + ("formula", "result"), "a sum is a number or currency, not a percent"))
            for a_index, arg in enumerate(args):
                at = where + ("formula", "args", a_index)
                if op == "sum":
                    name, _, column = str(arg).partition(".")
                    columns = tables.get(name)
                    if columns is None or column not in columns or columns[column] not in NUMERIC:
                        choices = [f"{t}.{c}" for t, cols in tables.items() for c, k in cols.items() if k in NUMERIC]
                        problems.append(
                            error(
                                at,
                                f"{arg!r} is not a numeric column of a table section; sum takes one "
                                f"<section>.<column>, e.g. {', '.join(choices) or '(this template has none)'}",
                            )
                        )
                    else:
                        graph[node].append(f"{name}.{column}")
                    continue
                own = tables.get(table, {}) if table else {}
                if table and arg in own and arg in kinds:
                    problems.append(
                        error(at, f"{arg!r} names both a column of this table and a field; rename one of them")
                    )
                elif table and arg in own:
                    if own[arg] not in NUMERIC:
                        problems.append(error(at, f"column {arg!r} is {own[arg]}, not a number, percent or currency"))
                    graph[node].append(f"{table}.{arg}")
                elif kinds.get(arg) in NUMERIC:
                    graph[node].append(arg)
                else:
                    what = "fields and this table's numeric columns" if table else "fields"
                    names = numeric_fields + (sorted(c for c, k in own.items() if k in NUMERIC) if table else [])
                    found = f"a {kinds[arg]} field" if arg in kinds else "no field of this template"
                    problems.append(
                        error(
                            at,
                            f"{arg!r} is {found}; a formula argument must be one of the number, percent, "
                            f"currency or formula {what}: {', '.join(names)}",
                        )
                    )
    if not problems:
        cycle = _cycle(graph)
        if cycle:
            problems.append(
                error(
                    where_of[cycle[0]] + ("formula", "args"),
                    f"formula cycle: {' -> '.join(cycle)}; a formula cannot use its own result",
                )
            )
    return problems


def _cycle(graph: Mapping[str, Sequence[str]]) -> list[str]:
    """A cycle of formula nodes (first node repeated at the end), or []."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for child in graph.get(node, ()):
            if state.get(child) == 1:
                return path[path.index(child) :] + [child]
            if child in graph and child not in state:
                found = visit(child)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def order(nodes: Mapping[str, Formula], columns_of: Mapping[str, str] | None = None) -> list[str]:
    """Formula nodes (field ids and ``<table>.<column>``) so each comes after the formulas it uses.

    ``columns_of`` maps a column node's argument ids: a column formula's bare argument ``x`` is
    the column ``<table>.x`` when that is a node's key or in ``columns_of``.
    """
    columns_of = columns_of or {}
    out: list[str] = []
    seen: set[str] = set()

    def deps(node: str) -> list[str]:
        formula = nodes[node]
        table = node.partition(".")[0] if "." in node else ""
        found = []
        for arg in formula.args:
            if formula.op == "sum":
                found.append(arg)
            elif table and f"{table}.{arg}" in columns_of:
                found.append(f"{table}.{arg}")
            else:
                found.append(arg)
        return [d for d in found if d in nodes]

    def visit(node: str, stack: tuple[str, ...]) -> None:
        if node in seen:
            return
        if node in stack:
            raise ValueError(f"formula cycle: {' -> '.join((*stack, node))}")
        for dep in deps(node):
            visit(dep, (*stack, node))
        seen.add(node)
        out.append(node)

    for node in nodes:
        visit(node, ())
    return out


@dataclass(frozen=True)
class Results:
    """Every figure of one filled (or blank) template: fields and table cells."""

    fields: dict[str, Number | None]
    #: Table section id -> rows -> column id -> value (inputs as given, formula columns computed).
    rows: dict[str, list[dict[str, Any]]]


def compute(
    sections: Sequence[Any], values: Mapping[str, Any], rows: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Results:
    """Compute every formula field and column of a template from its inputs.

    ``sections`` are :class:`playbook.templates.model.Section` objects; ``values`` the inputs
    (id -> number; other values are ignored), ``rows`` the table rows (section id -> cells).
    """
    fields: dict[str, Number | None] = {}
    nodes: dict[str, Formula] = {}
    column_nodes: dict[str, str] = {}
    for section in sections:
        for field in section.fields:
            if field.formula is not None:
                nodes[field.id] = field.formula
            elif field.kind in NUMERIC:
                value = values.get(field.id)
                fields[field.id] = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if section.table is not None:
            for column in section.table.columns:
                column_nodes[f"{section.id}.{column.id}"] = column.kind
                if column.formula is not None:
                    nodes[f"{section.id}.{column.id}"] = column.formula
    table_rows: dict[str, list[dict[str, Any]]] = {
        s.id: [dict(r) for r in rows.get(s.id, ())] for s in sections if s.table is not None
    }
    for node in order(nodes, column_nodes):
        formula = nodes[node]
        if node in column_nodes:
            table, _, column = node.partition(".")
            for row in table_rows[table]:
                scope = {**fields, **{k: v for k, v in row.items() if isinstance(v, int | float)}}
                row[column] = evaluate(formula, scope)
        elif formula.op == "sum":
            table, _, column = formula.args[0].partition(".")
            cells = [r.get(column) for r in table_rows.get(table, [])]
            fields[node] = evaluate(formula, {formula.args[0]: [c for c in cells if isinstance(c, int | float)]})
        else:
            fields[node] = evaluate(formula, fields)
    return Results(fields, table_rows)
