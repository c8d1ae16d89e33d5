"""DESIGN.md: imports point down only (intake -> packet_builder -> extractors)."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = {"extractors": {"intake", "packet_builder"}, "packet_builder": {"intake"}}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_imports_point_down_only() -> None:
    offences = []
    for layer, forbidden in FORBIDDEN.items():
        for path in sorted((REPO / layer).rglob("*.py")):
            bad = _imported_packages(path) & forbidden
            if bad:
                offences.append(f"{path.relative_to(REPO)} imports {sorted(bad)}")
    assert not offences, "layering broken:\n" + "\n".join(offences)


def test_extractors_do_no_network_or_storage_io() -> None:
    for path in (REPO / "extractors").rglob("*.py"):
        imported = _imported_packages(path)
        assert not imported & {"minio", "boto3", "sqlalchemy", "fastapi", "httpx", "requests", "huey"}, path
