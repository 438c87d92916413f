"""The classroom as the rest of the app sees it: who may do what, class rules, scores."""

import time
from typing import TYPE_CHECKING, Any

from app.classroom import rules
from app.classroom.attempts import FailedAttempts
from app.classroom.challenges import Challenge, Challenges
from app.classroom.classes import Classes
from app.classroom.members import Member, Members
from app.classroom.teacher_key import matches, teacher_key
from app.config import Settings
from app.datasets import registry
from app.db.database import Database
from app.errors import Forbidden, SpecError
from app.schemas.runs import RunCreate

if TYPE_CHECKING:
    from app.engine.program import Program
    from app.runs.run import Run


class Classroom:
    def __init__(self, settings: Settings, db: Database, refresh: float | None = None) -> None:
        """`refresh`: how old its rows may be before they are read again (see app/classroom/mirror.py);
        by default the settings' `classroom_refresh`."""
        self.key = teacher_key(settings)
        # Wrong teacher keys and unknown join codes, per client address.
        self.attempts = FailedAttempts(settings.max_failed_attempts, settings.failed_attempts_window)
        every = settings.classroom_refresh if refresh is None else refresh
        self.members = Members(db, every)
        self.classes = Classes(db, every)
        self.challenges = Challenges(db, every)
        # client → why its last new run was refused (over the limit, against the class's rules),
        # until a new run is accepted: the teacher's table lists such students too.
        self._refused: dict[str, dict[str, Any]] = {}

    # --- who -------------------------------------------------------------------------------
    def is_teacher(self, client: str) -> bool:
        return self.members.get(client).teacher

    def unlock(self, client: str, key: str | None, who: str | None = None) -> Member:
        """Make the session the teacher's; `who` (the client's address) is refused after too many wrong keys."""
        if who is not None:
            self.attempts.check(who)
        if not matches(key, self.key):
            if who is not None:
                self.attempts.failed(who)
            raise Forbidden("key", code="wrong_teacher_key")
        return self.members.make_teacher(client)

    def join_class(self, client: str, code: str, name: str, who: str) -> None:
        """Join by code; `who` is refused after too many unknown codes."""
        self.attempts.check(who)
        try:
            row = self.classes.by_code(code)
        except SpecError:
            self.attempts.failed(who)
            raise
        self.members.join(client, row.id, name)

    def require_teacher(self, client: str, key: str | None = None) -> Member:
        """The teacher's session; a script may send the key in X-Teacher-Key instead of logging in."""
        member = self.members.get(client)
        if member.teacher:
            return member
        if key is not None:
            return self.unlock(client, key)
        raise Forbidden("", code="teacher_only")

    def owners(self, client: str) -> set[str]:
        """What the caller owns, for data-set visibility."""
        member = self.members.get(client)
        if member.teacher:  # their own uploads and every class's challenge sets
            return {client} | {row.id for row in self.classes.all()}
        return {client} | ({member.class_id} if member.class_id else set())

    def can_see(self, client: str, dataset: str) -> bool:
        info = registry.DATASETS.get(dataset)
        return info is None or registry.visible(info, self.owners(client))

    # --- runs (the manager's Classroom) ---------------------------------------------------
    def prepare(self, client: str, spec: RunCreate) -> tuple[str | None, str | None]:
        """Check a new run against the caller's class; say which class and challenge it is in."""
        if not self.can_see(client, spec.dataset.name):
            shown = ", ".join(n for n, i in registry.DATASETS.items() if i.owner is None)
            raise registry.DatasetError(
                "name", code="unknown_dataset", params={"name": spec.dataset.name, "available": shown}
            )
        member = self.members.get(client)
        challenge = self.challenges.for_dataset(spec.dataset.name)
        if member.class_id and not member.teacher:
            class_rules = self.classes.settings(member.class_id)
            if class_rules is not None:
                extra = {c.info.name for c in self.challenges.in_class(member.class_id)}
                rules.check(class_rules, spec, extra)
        return member.class_id, challenge.id if challenge else None

    def score(self, run: "Run", program: "Program") -> float | None:
        if run.challenge_id is None:
            return None
        return self.challenges.score(self.challenges.get(run.challenge_id), run, program)

    # --- views -----------------------------------------------------------------------------
    def me(self, client: str) -> dict[str, Any]:
        member = self.members.get(client)
        out: dict[str, Any] = {"display_name": member.display_name, "teacher": member.teacher, "class": None}
        if member.class_id:
            row = self.classes.get(member.class_id)
            out["class"] = {
                "id": row.id,
                "name": row.name,
                "settings": row.settings,
                "challenges": [c.public() for c in self.challenges.in_class(row.id)],
            }
        return out

    def name_of(self, client: str) -> str | None:
        return self.members.get(client).display_name

    def refused(self, client: str, error: SpecError) -> None:
        """Remember why a class member's new run was refused (kept in memory, for the teacher)."""
        if self.members.get(client).class_id:
            self._refused[client] = {**error.item(), "at": time.time()}

    def accepted(self, client: str) -> None:
        self._refused.pop(client, None)

    def roster(self, class_id: str) -> list[dict[str, Any]]:
        """Every member of a class by name, with why their last new run was refused (or null)."""
        members = sorted(self.members.in_class(class_id), key=lambda m: (m.display_name or "").casefold())
        return [{"name": m.display_name or "", "refused": self._refused.get(m.client)} for m in members]

    def leaderboard(self, challenge: Challenge, runs: list["Run"], teacher: bool) -> list[dict[str, Any]]:
        """Each student's best run on the hidden split, best first; equal scores share a rank."""
        best: dict[str, Run] = {}
        for run in runs:
            if run.score is None:
                continue
            held = best.get(run.client)
            if (
                held is None
                or run.score > (held.score or 0)
                or (run.score == held.score and run.created < held.created)
            ):
                best[run.client] = run
        ordered = sorted(best.values(), key=lambda r: (-(r.score or 0), r.created))
        rows: list[dict[str, Any]] = []
        for i, run in enumerate(ordered):
            rank = rows[-1]["rank"] if rows and rows[-1]["score"] == run.score else i + 1
            row: dict[str, Any] = {
                "rank": rank,
                "name": self.name_of(run.client) or "—",
                "score": run.score,
                "metric": challenge.metric,
                "epoch": run.epoch,
                "status": run.status,
                "architecture": run.spec.model.describe(),
            }
            if teacher:
                row["run_id"] = run.id
            rows.append(row)
        return rows
