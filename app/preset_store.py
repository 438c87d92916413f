"""Presets in the database: the course's own (rewritten from app/presets.py at every start, so a
new version's lessons replace the old ones) and those a teacher adds."""

import json
import time
from typing import Any

from sqlalchemy import delete, func, select

from app.db.database import Database
from app.db.tables import PresetRow
from app.errors import Conflict, NotFound
from app.presets import presets


class PresetStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # As the database gives them back (JSON), so that unchanged presets compare equal.
        wanted = [(body["id"], position, json.loads(json.dumps(body))) for position, body in enumerate(presets())]
        with db.session() as session:
            stored = session.scalars(select(PresetRow).where(PresetRow.builtin.is_(True)).order_by(PresetRow.position))
            if [(row.id, row.position, row.body) for row in stored] == wanted:
                return  # unchanged: start-up writes nothing (it works on a full or read-mostly disk)
            session.execute(delete(PresetRow).where(PresetRow.builtin.is_(True)))
            for preset_id, position, body in wanted:
                session.merge(PresetRow(id=preset_id, position=position, builtin=True, body=body, created=time.time()))

    def all(self) -> list[dict[str, Any]]:
        with self.db.session() as session:
            rows = session.scalars(select(PresetRow).order_by(PresetRow.builtin.desc(), PresetRow.position))
            return [{**row.body, "builtin": row.builtin} for row in rows]

    def add(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.db.session() as session:
            if session.get(PresetRow, body["id"]) is not None:
                raise Conflict("id", code="preset_exists", params={"id": body["id"]})
            position = session.scalar(select(func.count()).select_from(PresetRow)) or 0
            session.add(PresetRow(id=body["id"], position=position, builtin=False, body=body, created=time.time()))
        return {**body, "builtin": False}

    def remove(self, preset_id: str) -> None:
        with self.db.session() as session:
            row = session.get(PresetRow, preset_id)
            if row is None or row.builtin:
                raise NotFound("id", code="not_found", params={"kind": "preset", "id": preset_id})
            session.delete(row)
