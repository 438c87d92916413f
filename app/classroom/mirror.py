"""Rows of the classroom's tables kept in memory (sessions, classes, challenges), read again from
the database when older than `refresh` seconds. With one process (the default) it is the only
writer and never reads again (`refresh` 0); where several web processes and Ray's trainers share
the database, each sees within `refresh` seconds what another wrote: a class created through one,
a student who joined through another, a challenge a trainer must score."""

import threading
import time

from app.db.database import Database


class Mirror:
    def __init__(self, db: Database, refresh: float = 0.0) -> None:
        self.db = db
        self.refresh = refresh
        self._lock = threading.RLock()  # a writer that reads (a join checks the class's names) holds it again
        self._load()
        self._loaded = time.monotonic()

    def _load(self) -> None:
        """Read the rows again (under the lock)."""
        raise NotImplementedError

    def _fresh(self) -> None:
        """At every read: the rows again, when they are older than `refresh` seconds."""
        if not self.refresh or time.monotonic() - self._loaded <= self.refresh:
            return
        with self._lock:
            if time.monotonic() - self._loaded > self.refresh:
                self._reload()

    def _reload(self) -> None:
        with self._lock:
            self._load()
            self._loaded = time.monotonic()

    def _missed(self) -> bool:
        """A row asked for by id or code is not here: read them again at once where others write
        (a class made through another web process a moment ago); True if read."""
        if not self.refresh:
            return False
        self._reload()
        return True
