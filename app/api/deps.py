"""Shared dependencies: the settings, the run manager, the classroom, and who the caller is."""

import hashlib
import re
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from app.classroom.service import Classroom
from app.config import Settings
from app.db.database import Database
from app.preset_store import PresetStore
from app.runs.manager import RunManager

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def presented_token(conn: HTTPConnection, settings: Settings) -> str | None:
    """The session token a request carries: bearer header, cookie, or `?token=` on websockets only
    (a browser cannot set headers there; elsewhere a token in the URL would end up in logs and history)."""
    auth = conn.headers.get("authorization", "")
    candidates = [auth[7:].strip() if auth.lower().startswith("bearer ") else None]
    candidates.append(conn.cookies.get(settings.session_cookie))
    if conn.scope["type"] == "websocket":
        candidates.append(conn.query_params.get("token"))
    return next((c for c in candidates if c and _TOKEN.match(c)), None)


def client_id(token: str) -> str:
    """Who owns runs and data: a hash of the session token, so the database never holds tokens."""
    return hashlib.sha256(token.encode()).hexdigest()[:40]


def get_settings_dep(conn: HTTPConnection) -> Settings:
    return conn.app.state.settings


def get_manager(conn: HTTPConnection) -> RunManager:
    return conn.app.state.runs


def get_client(request: Request) -> str:
    return client_id(request.state.client)


def get_classroom(conn: HTTPConnection) -> Classroom:
    return conn.app.state.classroom


def get_database(conn: HTTPConnection) -> Database:
    return conn.app.state.db


def get_presets(conn: HTTPConnection) -> PresetStore:
    return conn.app.state.presets


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ManagerDep = Annotated[RunManager, Depends(get_manager)]
ClientDep = Annotated[str, Depends(get_client)]
ClassroomDep = Annotated[Classroom, Depends(get_classroom)]
DatabaseDep = Annotated[Database, Depends(get_database)]
PresetsDep = Annotated[PresetStore, Depends(get_presets)]
