"""The layers of DESIGN.md, enforced: every import of the project's own modules points the way the
arrows do, no import cycle, no waiting for time in bot or flows code.

    bot top (cli, commands, workflows, runner, reports, ...)  ─► flows ─► flows.pages ─► playwright
    bot.core (settings, errors, browser, mail, retry, ledger, evidence, contributions, ...): used by all
    mock_portal: imports neither bot nor flows (it stands for a foreign system)

Imports under `if TYPE_CHECKING:` are annotations only and are not counted; imports inside functions
are (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "flows", "mock_portal")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported project module, dotted
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = project_modules()


def resolve(name: str) -> str | None:
    """The project module an imported name lives in (`bot.core.errors.ConfigError` → `bot.core.errors`)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def walk_runtime(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below `node`, skipping `if TYPE_CHECKING:` bodies."""
    for child in ast.iter_child_nodes(node):
        if is_type_checking_block(child):
            yield from (n for branch in getattr(child, "orelse", []) for n in walk_runtime(branch))
            continue
        yield child
        yield from walk_runtime(child)


def imports_of(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in walk_runtime(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        for name in names:
            target = resolve(name)
            if target and target != module:
                yield Import(module, target, node.lineno)


ALL_IMPORTS = [imp for module, path in MODULES.items() for imp in imports_of(module, path)]


def layer(module: str) -> str:
    if module.startswith("mock_portal"):
        return "mock_portal"
    if module == "bot.core" or module.startswith("bot.core."):
        return "core"
    if module.startswith("flows.pages"):
        return "pages"
    if module.startswith("flows"):
        return "flows"
    return "top"  # the rest of bot/: cli, commands, workflows, runner, reports, ...


# Which layers each layer may import (itself included).
ALLOWED = {
    "core": {"core"},
    "pages": {"pages", "core"},
    "flows": {"flows", "pages", "core"},
    "top": {"top", "flows", "pages", "core"},
    "mock_portal": {"mock_portal"},
}


def where(imp: Import) -> str:
    return f"{MODULES[imp.source].relative_to(ROOT)}:{imp.line}: {imp.source} imports {imp.target}"


def test_the_tree_is_read() -> None:
    # A guard for the checks below: they see the modules and their imports
    assert {"bot.cli", "bot.core.settings", "flows.login", "flows.pages.login", "mock_portal.app"} <= set(
        MODULES
    )
    assert any(i.source == "flows.login" and i.target.startswith("flows.pages") for i in ALL_IMPORTS)


def test_every_import_points_the_way_of_the_arrows() -> None:
    wrong = [where(i) for i in ALL_IMPORTS if layer(i.target) not in ALLOWED[layer(i.source)]]
    assert not wrong, "imports against DESIGN.md's arrows:\n" + "\n".join(wrong)


def test_the_rules_catch_a_wrong_import() -> None:
    # The checker itself can fail: a core module importing a flow, or the mock importing the bot
    assert layer("flows.login") not in ALLOWED[layer("bot.core.mail")]
    assert layer("bot.core.errors") not in ALLOWED[layer("mock_portal.app")]
    assert layer("bot.workflows.steps") not in ALLOWED[layer("flows.contribution")]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (as a path a → … → a), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def import_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in ALL_IMPORTS:
        # A package's __init__ importing its own submodules is how packages work, not a cycle.
        if imp.target.startswith(imp.source + "."):
            continue
        edges.setdefault(imp.source, set()).add(imp.target)
    return edges


def test_there_is_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


def sleeps_in(path: Path) -> Iterator[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        waits_for_time = node.func.attr == "wait_for_timeout" or (
            node.func.attr == "sleep" and owner_name in {"time", "asyncio"}
        )
        if waits_for_time and "# allowed:" not in lines[node.lineno - 1]:
            yield f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}"


@pytest.mark.parametrize("package", ["bot", "flows"])
def test_bot_and_flows_wait_for_states_not_for_time(package: str) -> None:
    found = [hit for path in sorted((ROOT / package).rglob("*.py")) for hit in sleeps_in(path)]
    assert not found, "sleeps (wait for a state, or mark a deliberate one '# allowed: why'):\n" + "\n".join(
        found
    )


def test_the_sleep_finder_finds_a_sleep(tmp_path: Path) -> None:
    global ROOT
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import asyncio, time\n"
        "async def f(page):\n"
        "    time.sleep(1)\n"
        "    await asyncio.sleep(0.5)\n"
        "    await page.wait_for_timeout(100)\n"
        "    await asyncio.sleep(0)  # allowed: yields to the loop\n"
    )
    saved, ROOT = ROOT, tmp_path
    try:
        assert len(list(sleeps_in(sample))) == 3
    finally:
        ROOT = saved
