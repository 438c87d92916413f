"""The teacher key: from PLAYGROUND_TEACHER_KEY, or generated once and kept in the data directory."""

import logging
import os
import secrets

from app.config import Settings

log = logging.getLogger(__name__)


def teacher_key(settings: Settings) -> str:
    if settings.teacher_key:
        return settings.teacher_key
    path = settings.data_dir / "teacher-key.txt"
    if path.exists():
        key = path.read_text().strip()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(9)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(key + "\n")
    log.warning("teacher key: %s  (open /teacher and enter it; kept in %s)", key, path)
    return key


def matches(given: str | None, key: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), key.encode())
