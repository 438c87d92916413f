"""Uploaded data sets in the database: the CSV as sent, parsed again the same way at start-up."""

import logging
import time

from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.datasets import upload
from app.datasets.registry import DatasetInfo
from app.db.database import Database
from app.db.tables import DatasetRow
from app.errors import SpecError

log = logging.getLogger(__name__)
NO_LIMIT = 10**9  # a stored file passed the limits when it was sent


def save(db: Database, info: DatasetInfo, client: str, label: str, task: str | None, content: bytes) -> None:
    with db.session() as session:
        session.add(DatasetRow(name=info.name, client=client, label=label, task=task, content=content,
                               created=time.time()))  # fmt: skip


def restore(db: Database) -> int:
    with db.session() as session:
        rows = list(session.scalars(select(DatasetRow).options(undefer(DatasetRow.content))))
    for row in rows:
        try:
            upload.parse(row.content, row.label, row.task, NO_LIMIT, NO_LIMIT, owner=row.client, dataset_name=row.name)  # type: ignore[arg-type]
        except SpecError as exc:
            log.warning("uploaded data set %s no longer parses: %s", row.name, exc.detail())
    return len(rows)
