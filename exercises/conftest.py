"""Loads the module under test: your ``losses.py`` next to this file, or the
file named by the environment variable LOSSES_FILE."""
import importlib.util
import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def losses():
    path = Path(os.environ.get("LOSSES_FILE", HERE / "losses.py")).resolve()
    if not path.is_file():
        pytest.exit(f"no file to test at {path}: set LOSSES_FILE to your losses.py", returncode=4)
    spec = importlib.util.spec_from_file_location("losses_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
