"""Imports run one way: the base app `people` and the kits in `core` import nothing from the
feature apps, and no modules import each other in a circle, imports inside functions included,
except a task module and the one service it calls."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["core", "people", "conversations", "pdp", "opportunities", "grid", "talentapp"]
FEATURES = {"conversations", "pdp", "opportunities", "grid", "talentapp"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        targets.update(candidate for candidate in candidates if candidate in known and candidate != name)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_it_finds_the_imports_it_checks():
    graph = _graph()
    assert "conversations.states" in graph["conversations.services"]
    assert "people.access" in graph["conversations.access"]


def test_it_keeps_the_base_app_and_the_kits_free_of_the_feature_apps():
    offending = [
        f"{name} -> {target}"
        for name, targets in _graph().items()
        if name.split(".")[0] in {"people", "core"}
        for target in targets
        if target.split(".")[0] in FEATURES
    ]
    assert offending == []


def test_it_has_no_import_circle_but_a_task_module_and_its_service():
    circles = [
        circle
        for circle in _circles(_graph())
        if not (len(circle) == 2 and any(name.endswith(".tasks") for name in circle))
    ]
    assert circles == []
