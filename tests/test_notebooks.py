"""Notebooks stay runnable: each executes in a Jupyter kernel (nbclient),
every cell in order, as scripts/execute_notebooks.py runs them, but at small
scales (PARAMETERS rewrite their `parameters` cell); every figure is shown
as a PNG in the outputs."""
import importlib.util
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.usefixtures("reference_available")   # flow_explosion times the reference

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("execute_notebooks",
                                               ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)

# notebook stem -> parameters for the test run (the notebook's defaults are realistic)
PARAMETERS = {"flow_explosion": {"SCALES": (2, 4, 8), "REPEAT": 1}}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    """In a scratch copy of the layout (figures land there, not in
    notebooks/images/; ../examples is the project's)."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "notebooks").mkdir()
    nb = execute_notebooks.execute(path, tmp_path / "notebooks", PARAMETERS.get(path.stem))
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if "<Figure" in o.get("data", {}).get("text/plain", "")]
    saved = {p.name for p in (tmp_path / "notebooks" / "images").glob("*.png")}
    shown = sum("image/png" in o.get("data", {}) for o in outputs)
    assert shown == len(saved), f"{shown} PNG outputs for {len(saved)} saved figures"


def test_set_parameters_rewrites_only_the_given_assignments():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("A = 1\n"),
        nbformat.v4.new_code_cell("X = (1,\n     2)   # comment\nY = 'é'  # kept\nZ = 3",
                                  metadata={"tags": ["parameters"]})])
    execute_notebooks.set_parameters(nb, {"X": (5,), "Z": "z"})
    assert nb.cells[1].source == "X = (5,)   # comment\nY = 'é'  # kept\nZ = 'z'"
    assert nb.cells[0].source == "A = 1\n"
    with pytest.raises(ValueError, match="assigns no W"):
        execute_notebooks.set_parameters(nb, {"W": 1})
