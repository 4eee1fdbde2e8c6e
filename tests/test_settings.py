"""Settings: every tunable has a default in `settings.py`, an environment variable and a config.json key."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from settings import _ENV, TUNING, Settings, load_settings


def test_every_tunable_is_read_from_the_environment_and_config_json(tmp_path: Path) -> None:
    names = [f.name for f in fields(Settings)]
    assert list(TUNING) == names[names.index("web_threads"):]  # the whole tuning block, nothing else
    assert {name: f"POLICYGRAPH_{name.upper()}" for name in TUNING}.items() <= {v: k for k, v in _ENV.items()}.items()
    kinds = {f.name: f.type for f in fields(Settings)}
    values = {name: (7 if kinds[name] == "int" else 7.5) for name in TUNING}
    env = {f"POLICYGRAPH_{name.upper()}": str(value) for name, value in values.items()}
    from_env = load_settings(env=env, home=str(tmp_path))
    (tmp_path / "config.json").write_text(json.dumps(values), encoding="utf-8")
    from_file = load_settings(env={}, home=str(tmp_path))
    for name, value in values.items():
        assert getattr(from_env, name) == value and getattr(from_file, name) == value, name
        assert type(getattr(from_env, name)) is type(getattr(Settings(), name)), name
