import os
import subprocess
import sys
from pathlib import Path

import pytest

BAIQAU = Path(sys.executable).with_name("baiqau")


@pytest.mark.skipif(not BAIQAU.exists(), reason="the package is not installed in this venv")
def test_console_command_wraps_manage_py(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "baiqau.settings"}
    result = subprocess.run(
        [str(BAIQAU), "help", "audit"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "audit verify" in result.stdout or "{verify}" in result.stdout
