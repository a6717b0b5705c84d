"""The map of the house (docs/architecture.md), kept true.

Between the apps, imports flow one way: meetings ← delegations ← agenda. Inside `agenda`, each
package may import only what the table `MAY_IMPORT` says (the same table as in
docs/architecture.md): from the pages and the API down to the services and the pure rules,
never back up. The pure rules import nothing of Django but its translations. And nowhere in
the project does a module import, through any chain, a module that imports it back.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["meetings", "delegations", "agenda"]
PACKAGES = ["config", *APPS]

PURE = {
    "agenda.speakers.ordering",
    "agenda.speakers.moves",
    "agenda.speakers.admission",
    "agenda.durations",
}
BASE = {"agenda.models", "agenda.errors", "agenda.roles", "agenda.items", *PURE}
SPEAKERS = {*BASE, "agenda.speakers"}

# Each part of `agenda` (a package or a module), and the parts of `agenda` it may import
# besides itself. A module belongs to the longest part its name starts with.
MAY_IMPORT = {
    "agenda.speakers.ordering": set(),
    "agenda.speakers.moves": {"agenda.speakers.ordering"},
    "agenda.speakers.admission": {"agenda.speakers.ordering"},
    "agenda.durations": set(),
    "agenda.errors": set(),
    "agenda.models": {"agenda.speakers.ordering"},
    "agenda.roles": {"agenda.models"},
    "agenda.items": {"agenda.models"},
    "agenda.speakers": BASE,
    "agenda.statements": SPEAKERS,
    "agenda.record": {*SPEAKERS, "agenda.statements"},
    "agenda.outcome": {*SPEAKERS, "agenda.statements", "agenda.record"},
    "agenda.live": {"agenda.models", "agenda.speakers.changes", "agenda.api.auth"},
    "agenda.api": SPEAKERS,
    "agenda.web": {
        *SPEAKERS,
        "agenda.statements",
        "agenda.record",
        "agenda.outcome",
        "agenda.live",
    },
    "agenda.rules": {*BASE, "agenda.statements"},
    "agenda.admin": {*SPEAKERS, "agenda.statements", "agenda.record"},
    "agenda.demo": BASE,
    "agenda.management": {*BASE, "agenda.record", "agenda.outcome", "agenda.demo"},
    "agenda.templatetags": set(),
    "agenda.apps": set(),
    "agenda.translation": {"agenda.models"},
    "agenda.migrations": {"agenda.models"},
}

# What a pure module may import from outside the standard library.
# Django's translations, and its date formatting in the active language (month names from the
# catalogues; no settings, no database).
PURE_MAY_USE = {"django.utils.translation", "django.utils.dateformat"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


MODULES = project_modules()


def imports(name: str) -> Iterator[str]:
    """Every module `name` imports, anywhere in it (functions included), as full names."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module
            yield source
            for alias in node.names:  # `from . import services` imports a module
                if f"{source}.{alias.name}" in MODULES:
                    yield f"{source}.{alias.name}"


def part_of(name: str) -> str:
    return max((part for part in MAY_IMPORT if f"{name}.".startswith(f"{part}.")), key=len)


def inside(name: str, part: str) -> bool:
    return name == part or name.startswith(f"{part}.")


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_from_the_apps_below_it(app):
    allowed = set(APPS[: APPS.index(app) + 1])
    offenders = {
        name: sorted({imported.split(".")[0] for imported in imports(name)} & set(APPS) - allowed)
        for name in MODULES
        if name.split(".")[0] == app
    }
    assert {name: apps for name, apps in offenders.items() if apps} == {}


def test_every_module_of_agenda_belongs_to_a_part_of_the_map():
    assert [name for name in MODULES if name.startswith("agenda.") and not any(
        inside(name, part) for part in MAY_IMPORT
    )] == []  # fmt: skip


def test_inside_agenda_each_part_imports_only_the_parts_the_map_allows():
    offenders = {}
    for name in MODULES:
        if not name.startswith("agenda."):
            continue
        part = part_of(name)
        allowed = {part, *MAY_IMPORT[part]}
        wrong = sorted(
            imported
            for imported in imports(name)
            if imported.startswith("agenda.")
            and not any(inside(imported, other) for other in allowed)
        )
        if wrong:
            offenders[name] = wrong
    assert offenders == {}


def test_nothing_imports_the_pages():
    importers = {
        name: imported
        for name in MODULES
        if not name.startswith("agenda.web")
        for imported in imports(name)
        if inside(imported, "agenda.web")
    }
    assert importers == {}


@pytest.mark.parametrize("name", sorted(PURE))
def test_the_pure_rules_use_nothing_of_django_but_its_translations_and_dates(name):
    outside = sorted(
        imported
        for imported in imports(name)
        if imported.split(".")[0] not in sys.stdlib_module_names
        and not imported.startswith("agenda.")
        and imported not in PURE_MAY_USE
    )
    assert outside == []


def test_there_is_no_import_cycle_in_the_project():
    graph = {
        name: {imported for imported in imports(name) if imported in MODULES and imported != name}
        for name in MODULES
    }
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    assert cycles == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, through any chain."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_module_outside_the_migrations_is_longer_than_500_lines_without_saying_why():
    long = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in MODULES.items()
        if ".migrations." not in name
    }
    unexplained = {
        name: lines
        for name, lines in long.items()
        if lines > 500 and "one cohesive thing" not in MODULES[name].read_text(encoding="utf-8")
    }
    assert unexplained == {}
