"""Execute notebooks with a Jupyter kernel (nbclient) and save their outputs.

    python3 scripts/execute_notebooks.py [notebooks/NAME.ipynb ...]

With no arguments, every notebook under notebooks/. The test suite runs the
same execution (tests/test_notebooks.py) in a scratch directory, without
saving (so the figures under notebooks/images/ stay as committed).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(path: Path, workdir: Path | None = None) -> nbformat.NotebookNode:
    """Run every cell of `path` in a fresh python3 kernel, in `workdir` (by
    default the notebook's directory); the notebook with its outputs.
    Raises on a failing cell."""
    nb = nbformat.read(path, as_version=4)
    where = str(workdir or path.parent)
    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": where}}).execute()
    return nb


def main() -> None:
    for path in [Path(p) for p in sys.argv[1:]] or sorted(NOTEBOOKS.glob("*.ipynb")):
        nbformat.write(execute(path), path)
        print(f"executed {path}")


if __name__ == "__main__":
    main()
