"""The architecture as a check (run by `./dev lint`): fails, naming file and line, on

1. an import from one app into another that docs/architecture.md does not allow: the allowed
   arrows are the fenced `allowed-imports` block of that page, so the picture and the check
   cannot drift apart;
2. `.objects.` (the ORM) in a module that is not an app's data layer: views, forms, template
   tags, feeds and sitemaps read through the app's `selectors` and write through its `services`.
   The data layer is models, services, selectors, admin, migrations, management commands, tests,
   conftest, demo loaders (`demo*.py`), and the modules listed in the `orm-modules` block;
3. the string `"REMOTE_ADDR"` outside the one place that turns a request into a client address
   (the `remote-addr` block).

Usage: python tools/check_architecture.py [--package src/ravabet] [--doc docs/architecture.md]
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "ravabet"
_BLOCK = re.compile(r"^```(?P<name>[a-z-]+)[ \t]*\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
# Parts of a module path that make it part of an app's data layer, wherever they appear.
DATA_LAYER_PARTS = {"models", "services", "selectors", "admin", "migrations", "tests", "conftest"}


@dataclass(frozen=True)
class Rules:
    allowed: dict[str, frozenset[str]]  # app -> apps it may import
    orm_modules: frozenset[str]  # extra modules (app.module) that may use the ORM
    remote_addr: frozenset[str]  # modules (app.module) that may read REMOTE_ADDR


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _blocks(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for match in _BLOCK.finditer(text):
        lines = [line.split("#", 1)[0].strip() for line in match["body"].splitlines()]
        found.setdefault(match["name"], []).extend(line for line in lines if line)
    return found


def parse_rules(doc_text: str) -> Rules:
    """Read the machine-readable blocks of docs/architecture.md.

    ```allowed-imports
    comments -> news, network
    ```
    ```orm-modules
    news.importer
    ```
    ```remote-addr
    network.clientaddr
    ```
    """
    blocks = _blocks(doc_text)
    if "allowed-imports" not in blocks:
        raise ValueError("docs/architecture.md has no ```allowed-imports block")
    allowed: dict[str, frozenset[str]] = {}
    for line in blocks["allowed-imports"]:
        source, arrow, targets = line.partition("->")
        if not arrow or not source.strip():
            raise ValueError(f"not an arrow in allowed-imports: {line!r}")
        names = frozenset(t.strip() for t in targets.split(",") if t.strip())
        allowed[source.strip()] = allowed.get(source.strip(), frozenset()) | names
    return Rules(
        allowed=allowed,
        orm_modules=frozenset(blocks.get("orm-modules", [])),
        remote_addr=frozenset(blocks.get("remote-addr", [])),
    )


def _module_parts(path: Path, package_dir: Path) -> list[str]:
    parts = list(path.relative_to(package_dir).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return parts


def _imported_modules(tree: ast.AST, own: list[str], is_package: bool) -> list[tuple[str, int]]:
    """Absolute names of every module imported (at any depth, lazy imports included)."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = [PACKAGE, *own] if is_package else [PACKAGE, *own[:-1]]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            # `from ravabet import news` names the app in the alias, not the module.
            if name == PACKAGE:
                found.extend((f"{PACKAGE}.{alias.name}", node.lineno) for alias in node.names)
    return found


def _is_data_layer(parts: list[str], rules: Rules) -> bool:
    if any(part in DATA_LAYER_PARTS for part in parts):
        return True
    if "management" in parts and "commands" in parts:
        return True
    if parts and parts[-1].startswith(("demo", "test_")):
        return True
    return ".".join(parts) in rules.orm_modules


def _uses_orm(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "objects"
    ]


def _remote_addr(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == "REMOTE_ADDR"
    ]


def check(package_dir: Path, rules: Rules) -> list[Violation]:
    apps = sorted(p.name for p in package_dir.iterdir() if (p / "apps.py").is_file())
    violations: list[Violation] = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = _module_parts(path, package_dir)
        if not parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_tests = "tests" in parts or parts[-1] == "conftest"
        if not in_tests and ".".join(parts) not in rules.remote_addr:
            violations.extend(
                Violation(
                    path,
                    line,
                    "REMOTE_ADDR read outside the client-address helper (remote-addr block): "
                    "behind a proxy it is the proxy's address",
                )
                for line in _remote_addr(tree)
            )
        if parts[0] not in apps:
            continue  # the frame (settings, urls, wsgi, cli) composes the apps
        app = parts[0]
        for name, line in _imported_modules(tree, parts, path.name == "__init__.py"):
            pieces = name.split(".")
            if len(pieces) < 2 or pieces[0] != PACKAGE or pieces[1] not in apps:
                continue
            target = pieces[1]
            if target != app and target not in rules.allowed.get(app, frozenset()):
                violations.append(
                    Violation(
                        path,
                        line,
                        f"{app} imports {name}: docs/architecture.md allows no arrow "
                        f"{app} -> {target} (allowed-imports block)",
                    )
                )
        if not _is_data_layer(parts, rules):
            violations.extend(
                Violation(
                    path,
                    line,
                    "`.objects.` outside the data layer: read through the app's selectors, "
                    "write through its services (or list the module under orm-modules)",
                )
                for line in _uses_orm(tree)
            )
    return sorted(violations, key=lambda v: (str(v.path), v.line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=ROOT / "src" / PACKAGE)
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "architecture.md")
    args = parser.parse_args(argv)
    rules = parse_rules(args.doc.read_text(encoding="utf-8"))
    violations = check(args.package, rules)
    for violation in violations:
        print(violation, file=sys.stderr)
    if violations:
        print(f"check_architecture: {len(violations)} violation(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
