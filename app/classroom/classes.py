"""Classes: a name, a join code, and the rules the teacher set."""

import secrets
import time
from typing import Any

from sqlalchemy import select

from app.classroom.mirror import Mirror
from app.db.tables import ClassRow
from app.errors import NotFound
from app.schemas.classroom import ClassSettings

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a projector
CODE_LENGTH = 8  # 40 bits; with failed attempts limited per client, not guessable in a lesson


class Classes(Mirror):
    def _load(self) -> None:
        with self.db.session() as session:
            self._rows = {r.id: r for r in session.scalars(select(ClassRow))}

    def public(self, row: ClassRow) -> dict[str, Any]:
        return {"id": row.id, "name": row.name, "join_code": row.join_code, "settings": row.settings,
                "created": row.created}  # fmt: skip

    def create(self, name: str, settings: ClassSettings) -> ClassRow:
        with self._lock:
            codes = {r.join_code for r in self._rows.values()}
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            while code in codes:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            row = ClassRow(
                id=secrets.token_urlsafe(12),
                name=name,
                join_code=code,
                settings=settings.model_dump(exclude_none=True),
                created=time.time(),
            )
            with self.db.session() as session:
                session.add(row)
            self._rows[row.id] = row
            return row

    def update(self, class_id: str, name: str | None, settings: ClassSettings | None) -> ClassRow:
        row = self.get(class_id)
        with self._lock, self.db.session() as session:
            stored = session.get(ClassRow, class_id)
            assert stored is not None
            if name is not None:
                stored.name = row.name = name
            if settings is not None:
                stored.settings = row.settings = settings.model_dump(exclude_none=True)
        return row

    def get(self, class_id: str) -> ClassRow:
        self._fresh()
        row = self._rows.get(class_id)
        if row is None and self._missed():
            row = self._rows.get(class_id)
        if row is None:
            raise NotFound("id", code="not_found", params={"kind": "class", "id": class_id})
        return row

    def by_code(self, code: str) -> ClassRow:
        self._fresh()
        wanted = code.strip().upper()
        for _ in range(2):
            for row in self._rows.values():
                if row.join_code == wanted:
                    return row
            if not self._missed():
                break
        raise NotFound("code", code="unknown_join_code", params={"code": code})

    def all(self) -> list[ClassRow]:
        self._fresh()
        return sorted(self._rows.values(), key=lambda r: r.created)

    def settings(self, class_id: str | None) -> ClassSettings | None:
        self._fresh()
        row = self._rows.get(class_id) if class_id else None
        return ClassSettings.model_validate(row.settings) if row else None
