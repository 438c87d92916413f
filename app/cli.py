"""`nn-playground`: serve the app with uvicorn on the configured host and port."""

import argparse

import uvicorn

from app.config import get_settings


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Serve the neural-network playground.")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args()
    uvicorn.run("app.main:app", host=args.host, port=args.port, ws="websockets")


if __name__ == "__main__":
    main()
