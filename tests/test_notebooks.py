"""Notebooks stay runnable: each executes in a Jupyter kernel (nbclient),
every cell in order, as scripts/execute_notebooks.py runs them."""
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("reference_available")   # flow_explosion times the reference

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("execute_notebooks",
                                               ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    """In a scratch copy of the layout (figures land there, not in
    notebooks/images/; ../examples is the project's)."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "notebooks").mkdir()
    nb = execute_notebooks.execute(path, tmp_path / "notebooks")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
