"""The built-in roles and templates ship inside the package: a wheel works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_builtin_data_and_runs_from_another_folder(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = (tmp_path / "dist").glob("hrdocs-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(tmp_path / "site")
    assert "hrdocs/builtin/roles/hr-generalist.yaml" in names
    assert "hrdocs/builtin/roles/_areas.yaml" in names
    assert "hrdocs/builtin/templates/job-description.md.j2" in names
    assert "hrdocs/data/example-company.yaml" in names

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import hrdocs, hrdocs.workspace as w; print(hrdocs.__file__, w.builtin_dir())",
        ],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert str(tmp_path / "site") in probe.stdout, "the unpacked wheel, not the source tree, was imported"
    run = subprocess.run(
        [sys.executable, "-m", "hrdocs", "jd", "generalist"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert (elsewhere / "output/job-descriptions/hr-generalist.docx").is_file()
