"""Execute notebooks with a Jupyter kernel (nbclient) and save their outputs.

    python3 scripts/execute_notebooks.py [notebooks/NAME.ipynb ...]

With no arguments, every notebook under notebooks/, with the values of its
`parameters` cell (flow_explosion: realistic scales up to 500 nodes, some
minutes). The test suite runs the same execution (tests/test_notebooks.py)
in a scratch directory, at small scales (`execute(..., parameters=...)`),
without saving (so the figures under notebooks/images/ stay as committed).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(path: Path, workdir: Path | None = None,
            parameters: dict | None = None) -> nbformat.NotebookNode:
    """Run every cell of `path` in a fresh python3 kernel, in `workdir` (by
    default the notebook's directory), after set_parameters(`parameters`);
    the notebook with its outputs. Raises on a failing cell."""
    nb = nbformat.read(path, as_version=4)
    if parameters:
        set_parameters(nb, parameters)
    where = str(workdir or path.parent)
    nbclient.NotebookClient(nb, timeout=1800, kernel_name="python3",
                            resources={"metadata": {"path": where}}).execute()
    return nb


def set_parameters(nb: nbformat.NotebookNode, parameters: dict) -> None:
    """Rewrite the assignments `NAME = ...` of the cell tagged `parameters`
    (papermill's convention) to `NAME = repr(value)` for each item of
    `parameters`, keeping the rest of the cell (comments included)."""
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{len(cells)} cells tagged 'parameters', need one")
    lines = cells[0].source.splitlines()
    assigned = {node.targets[0].id: node for node in ast.parse(cells[0].source).body
                if isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)}
    if missing := sorted(set(parameters) - set(assigned)):
        raise ValueError(f"the parameters cell assigns no {', '.join(missing)}")
    for node in sorted((assigned[name] for name in parameters), key=lambda n: -n.lineno):
        name = node.targets[0].id    # ast offsets count UTF-8 bytes
        before = lines[node.lineno - 1].encode()[:node.col_offset].decode()
        after = lines[node.end_lineno - 1].encode()[node.end_col_offset:].decode()
        lines[node.lineno - 1:node.end_lineno] = [f"{before}{name} = {parameters[name]!r}{after}"]
    cells[0].source = "\n".join(lines)


def main() -> None:
    for path in [Path(p) for p in sys.argv[1:]] or sorted(NOTEBOOKS.glob("*.ipynb")):
        nbformat.write(execute(path), path)
        print(f"executed {path}")


if __name__ == "__main__":
    main()
