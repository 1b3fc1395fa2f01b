"""A non-editable install (a wheel) carries every file the code reads, and an
install missing SQL files fails loudly instead of computing nothing."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from relnorthd import rules

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_every_sql_file(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--disable-pip-version-check", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".sql")}
    tree = {"relnorthd/sql/" + p.relative_to(ROOT / "sql").as_posix()
            for p in (ROOT / "sql").rglob("*.sql")}
    assert tree and shipped == tree


def test_missing_sql_folder_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "rule.sql").write_text("SELECT 1")
    monkeypatch.setattr(rules, "__file__", str(tmp_path / "relnorthd" / "rules.py"))
    rules.sql_dir.cache_clear()
    try:
        with pytest.raises(rules.RuleError, match="lib/, sb/"):
            rules.sql_dir()
    finally:
        monkeypatch.undo()
        rules.sql_dir.cache_clear()


@pytest.mark.skipif(os.environ.get("RELNORTHD_TEST_INSTALL") != "wheel",
                    reason="the test script's run (scripts/test.sh) tests a wheel install")
def test_the_suite_runs_on_the_installed_wheel():
    """scripts/test.sh builds a wheel, installs it and runs the suite on it:
    the package imported is the installed one, not the source tree."""
    import relnorthd
    installed = Path(relnorthd.__file__).resolve()
    assert ROOT not in installed.parents, installed
    assert rules.sql_dir() == installed.parent / "sql"
