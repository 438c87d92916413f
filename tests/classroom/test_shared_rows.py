"""Two processes on one database, in-process (two Classroom objects, as two web processes or a
web process and a Ray trainer hold them): what one writes, the other sees within its refresh,
and a class or challenge asked for by code or id at once; with refresh 0 (one process, the only
writer) the rows are never read again. On SQLite and on PostgreSQL."""

import time
from collections.abc import Iterator

import pytest

from app.classroom.service import Classroom
from app.config import Settings
from app.db.database import Database
from app.errors import NotFound
from app.schemas.classroom import ChallengeCreate, ClassSettings


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.migrate()
    yield database
    database.close()


def test_what_one_process_writes_the_other_reads_within_its_refresh(db: Database, tmp_path) -> None:  # noqa: ANN001
    settings = Settings(data_dir=tmp_path, teacher_key="k")
    one, other, alone = Classroom(settings, db, 0.3), Classroom(settings, db, 0.3), Classroom(settings, db, 0.0)
    made = one.classes.create("7A", ClassSettings())
    assert other.classes.by_code(made.join_code).id == made.id  # asked by code: read at once
    assert other.classes.get(made.id).name == "7A"
    with pytest.raises(NotFound):
        alone.classes.by_code(made.join_code)  # the only writer never reads again
    one.members.join("c" * 64, made.id, "Mina")
    one.members.make_teacher("t" * 64)
    deadline = time.monotonic() + 10
    while other.name_of("c" * 64) is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert other.is_teacher("t" * 64) and [m.display_name for m in other.members.in_class(made.id)] == ["Mina"]
    assert alone.name_of("c" * 64) is None
    challenge = one.challenges.create(
        made.id, ChallengeCreate.model_validate({"title": "ring", "dataset": {"name": "circle"}})
    )
    assert other.challenges.get(challenge.id).info.name == challenge.info.name  # by id: at once
    one.classes.update(made.id, "7B", None)
    deadline = time.monotonic() + 10
    while other.classes.get(made.id).name != "7B":
        assert time.monotonic() < deadline
        time.sleep(0.05)
