"""Who a session is in the classroom: a display name and a class, or the teacher."""

import time
from dataclasses import dataclass, replace

from sqlalchemy import select

from app.classroom.mirror import Mirror
from app.db.tables import SessionRow
from app.errors import Conflict


@dataclass(frozen=True)
class Member:
    client: str
    display_name: str | None = None
    class_id: str | None = None
    teacher: bool = False


class Members(Mirror):
    """Sessions that joined a class or unlocked the teacher view (all others are anonymous)."""

    def _load(self) -> None:
        with self.db.session() as session:
            rows = session.scalars(select(SessionRow))
            self._members = {r.client: Member(r.client, r.display_name, r.class_id, r.teacher) for r in rows}

    def get(self, client: str) -> Member:
        self._fresh()
        return self._members.get(client) or Member(client)

    def in_class(self, class_id: str) -> list[Member]:
        self._fresh()
        return [m for m in self._members.values() if m.class_id == class_id]

    def _put(self, member: Member) -> Member:
        with self.db.session() as session:
            row = session.get(SessionRow, member.client) or SessionRow(client=member.client, created=time.time())
            row.display_name, row.class_id, row.teacher = member.display_name, member.class_id, member.teacher
            session.add(row)
        self._members[member.client] = member
        return member

    def join(self, client: str, class_id: str, name: str) -> Member:
        name = " ".join(name.split())
        with self._lock:
            for other in self.in_class(class_id):
                if other.client != client and (other.display_name or "").casefold() == name.casefold():
                    raise Conflict("name", code="name_taken", params={"name": name})
            return self._put(replace(self.get(client), display_name=name, class_id=class_id))

    def leave(self, client: str) -> Member:
        with self._lock:
            return self._put(replace(self.get(client), class_id=None))

    def make_teacher(self, client: str) -> Member:
        with self._lock:
            return self._put(replace(self.get(client), teacher=True))
