"""The tables, as SQLAlchemy declares them; the schema itself is made by the migrations."""

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column


class Base(DeclarativeBase):
    pass


class ClassRow(Base):
    """A class a teacher made; students join it with its code."""

    __tablename__ = "classes"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created: Mapped[float] = mapped_column(Float)


class SessionRow(Base):
    """A browser or script session that joined a class or unlocked the teacher view.

    `client` is a hash of the session token: the token itself is never stored."""

    __tablename__ = "sessions"
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    class_id: Mapped[str | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"), nullable=True)
    teacher: Mapped[bool] = mapped_column(default=False)
    created: Mapped[float] = mapped_column(Float)


class ChallengeRow(Base):
    """A class's challenge: a data set with a hidden test split that scores every run on it."""

    __tablename__ = "challenges"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    class_id: Mapped[str] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    dataset: Mapped[dict[str, Any]] = mapped_column(JSON)  # a DatasetRef: which rows to draw
    hidden_ratio: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    created: Mapped[float] = mapped_column(Float)


class RunRow(Base):
    __tablename__ = "runs"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    class_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    challenge_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {field, code, params, message}
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the last epoch's logs
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # on a challenge's hidden split
    created: Mapped[float] = mapped_column(Float)
    updated: Mapped[float] = mapped_column(Float)
    # The weights and optimizer state at `checkpoint_epoch` (an .npz file's bytes), and the
    # trained model as a .keras file once the run has ended.
    checkpoint_epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checkpoint: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    model_file: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))


class HistoryChunk(Base):
    """Keras's logs for epochs [start, stop) of a run, appended at each checkpoint, so that a long
    run's saves stay small; a later chunk overwrites the epochs an earlier one covered."""

    __tablename__ = "history_chunks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    stop: Mapped[int] = mapped_column(Integer)
    logs: Mapped[dict[str, Any]] = mapped_column(JSON)


class DatasetRow(Base):
    """An uploaded CSV, kept as sent so that it is parsed the same way after a restart."""

    __tablename__ = "datasets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str] = mapped_column(String(200))
    task: Mapped[str | None] = mapped_column(String(16), nullable=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created: Mapped[float] = mapped_column(Float)


class PresetRow(Base):
    """A one-click lesson: the course's own (`builtin`) and those a teacher adds."""

    __tablename__ = "presets"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    builtin: Mapped[bool] = mapped_column(default=False)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # {id, topic, title, description, spec, ...}
    created: Mapped[float] = mapped_column(Float)
