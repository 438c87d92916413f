"""`nn-playground`: serve the app with uvicorn on the configured host and port."""

import argparse
import signal
import sys

import uvicorn

from app.config import get_settings
from app.db.database import StorageError, check_server, check_sqlite, database_url, sqlite_path


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Serve the neural-network playground.")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args()
    try:  # a damaged database, an unwritable data directory, an unreachable server: one line, not a traceback
        url = database_url(settings.database_url, settings.data_dir)
        path = sqlite_path(url)
        if path is not None:
            check_sqlite(path)
        elif not url.startswith("sqlite"):  # PostgreSQL: SQLite's file checks do not apply
            check_server(url)
    except (StorageError, OSError) as exc:
        print(f"nn-playground cannot start: {exc}", file=sys.stderr)
        sys.exit(2)
    # uvicorn hands a SIGTERM back to the handler it found once it has shut down gracefully (runs
    # saved as interrupted): make that handler an ordinary exit, so a stop at any moment is exit 0.
    signal.signal(signal.SIGTERM, _stopped)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        # Frames are sent many times a second to many viewers; compressing each one costs more
        # server CPU than a classroom network saves (PLAYGROUND_WS_COMPRESSION=true turns it on).
        ws_per_message_deflate=settings.ws_compression,
    )


if __name__ == "__main__":
    main()
