import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess:
    # Only the demo defaults and what the test sets: no test-runner flags.
    skipped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in skipped}
    clean.update(env)
    clean["CREATIVE_REGIONS_DATA"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "creative_regions.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_cli("check", env={"DEBUG": "0", "SECRET_KEY": ""}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG=0" in result.stderr


def test_invalid_boolean_setting_names_the_variable(tmp_path):
    result = run_cli("check", env={"DEBUG": "maybe"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DEBUG must be 1 or 0 (true/false), got 'maybe'" in result.stderr


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20
        + "-production-secret-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "regions.example.org",
    }
    result = run_cli(
        "check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "0", "false", "no", "off"])
def test_env_bool_accepts_the_usual_spellings(monkeypatch, value):
    from creative_regions.settings import env_bool

    monkeypatch.setenv("SOME_FLAG", value)

    assert env_bool("SOME_FLAG", default=False) is (value in {"1", "true", "yes", "on"})
