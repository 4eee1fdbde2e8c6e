"""Engine passwords, generated on first start into a mode-600 file under the data directory."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Secrets:
    """Passwords of the engine's two ACL users."""

    admin_password: str
    reader_password: str


def load_or_create_secrets(data_dir: Path) -> Secrets:
    """Read `<data_dir>/secrets.json`, creating it (mode 600) with random passwords if missing."""
    path = Path(data_dir) / "secrets.json"
    if path.exists():
        os.chmod(path, 0o600)  # repair a widened mode rather than run with readable secrets
        data = json.loads(path.read_text(encoding="utf-8"))
        return Secrets(data["admin_password"], data["reader_password"])
    value = Secrets(secrets.token_urlsafe(24), secrets.token_urlsafe(24))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"admin_password": value.admin_password, "reader_password": value.reader_password}, fh)
    return value
