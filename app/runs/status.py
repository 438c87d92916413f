"""A run's status and the events that move it: one transition table, checked on every change.

    queued ──grant──▶ running ──pause/step──▶ paused ──resume──▶ (grant or queue)
       ▲                 │  ▲                    │
       └──────queue──────┘  └───────grant────────┘
    running / queued ──interrupt──▶ interrupted   (the server stopped; resumable)
    any active ──stop──▶ stopped, ──fail──▶ failed, ──finish──▶ done (its last epoch trained)
    done / stopped ──continue──▶ paused, then granted or queued as a resume is

A student's control that does not apply (pausing a finished run, say) is a 409 with a code; an
engine event that no longer applies (a slot granted to a run stopped meanwhile) changes nothing.
"""

from typing import Literal

from app.errors import Conflict

# queued: waiting for a training slot (see manager.py); interrupted: was training when the
# server stopped, resumable from its last checkpoint.
Status = Literal["running", "paused", "queued", "interrupted", "done", "stopped", "failed"]
# What moves a status: a student's control, the gate's training slots, the engine.
Event = Literal["pause", "step", "resume", "grant", "queue", "interrupt", "stop", "fail", "finish", "continue"]

FINISHED: tuple[Status, ...] = ("done", "stopped", "failed")
ACTIVE: tuple[Status, ...] = ("running", "paused", "queued", "interrupted")
CONTROLS: tuple[Event, ...] = ("pause", "step", "resume", "continue")  # what a student asks for

TRANSITIONS: dict[Event, dict[Status, Status]] = {
    "pause": {s: "paused" for s in ACTIVE},
    "step": {s: "paused" for s in ACTIVE},
    "resume": {"paused": "running", "interrupted": "running", "running": "running", "queued": "queued"},
    "grant": {s: "running" for s in ACTIVE},  # never a finished run: a late slot changes nothing
    "queue": {s: "queued" for s in ACTIVE},
    "interrupt": {"running": "interrupted", "queued": "interrupted"},
    "stop": {s: "stopped" for s in ACTIVE},
    "fail": {s: "failed" for s in ACTIVE},
    "finish": {s: "done" for s in ACTIVE},  # its last epoch trained, whatever a control did meanwhile
    "continue": {"done": "paused", "stopped": "paused"},  # then granted or queued, as a resume
}


END: dict[Status, Event] = {"done": "finish", "stopped": "stop", "failed": "fail"}  # the event that ends so


def after(status: Status, event: Event) -> Status | None:
    """The status `event` leads to from `status`, or None where it does not apply."""
    return TRANSITIONS[event].get(status)


def control(status: Status, event: Event) -> Status:
    """The status a student's control leads to, or the 409 that says why it cannot."""
    target = after(status, event)
    if target is not None:
        return target
    if event == "continue":
        raise Conflict("id", code="run_not_ended", params={"status": status})
    raise Conflict("action", code="run_ended", params={"action": event, "status": status})
