"""The lock files agree with pyproject.toml: every requirement is met by a pin, every pin is wanted.

Offline: the lock files are read as text, with `packaging` for the versions and markers.
When this fails, run `make lock` (and commit the lock files).
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "nn-playground"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")


@dataclass
class Pin:
    name: str
    version: Version
    marker: str | None
    via: set[str] = field(default_factory=set)


def read_lock(path: Path) -> list[Pin]:
    """The pins of a `uv pip compile` output, each with the packages it is there for (`# via`)."""
    pins: list[Pin] = []
    in_via = False
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            pins.append(Pin(canonicalize_name(match["name"]), Version(match["version"]), match["marker"]))
            in_via = False
        elif (stripped := line.strip()).startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            in_via = True
            if rest:
                pins[-1].via.add(rest)
        elif in_via and stripped.startswith("#   "):
            pins[-1].via.add(stripped.removeprefix("#").strip())
    return pins


def requirements(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return found


# The test lock also holds the `cluster` extra (Ray), which the runtime lock and the image leave out.
LOCKS: dict[str, tuple[str, ...]] = {"requirements.lock": (), "requirements-test.lock": ("test", "cluster")}


def via_project(pin: Pin) -> bool:
    return any(v.split(" ")[0] in (PROJECT, "-r") for v in pin.via)


@pytest.mark.parametrize("lock, extras", LOCKS.items())
def test_every_requirement_is_met_by_a_pin(lock: str, extras: tuple[str, ...]) -> None:
    pins = read_lock(ROOT / lock)
    unmet = []
    for req in requirements(extras):
        versions = [p.version for p in pins if p.name == canonicalize_name(req.name)]
        if not versions or not all(req.specifier.contains(v, prereleases=True) for v in versions):
            unmet.append(f"{req} (locked: {[str(v) for v in versions] or 'nothing'})")
    assert unmet == [], f"{lock} does not meet pyproject.toml: {unmet}; run `make lock`"


@pytest.mark.parametrize("lock, extras", LOCKS.items())
def test_every_pin_is_wanted(lock: str, extras: tuple[str, ...]) -> None:
    pins = read_lock(ROOT / lock)
    wanted = {canonicalize_name(r.name) for r in requirements(extras)}
    locked = {p.name for p in pins}
    direct_unwanted = [p.name for p in pins if via_project(p) and p.name not in wanted]
    orphans = [p.name for p in pins if not via_project(p) and not any(canonicalize_name(v) in locked for v in p.via)]
    assert direct_unwanted == [], f"{lock} pins what pyproject.toml no longer asks for; run `make lock`"
    assert orphans == [], f"{lock} pins packages nothing needs; run `make lock`"
    for p in pins:
        assert p.via, f"{lock}: {p.name} has no `# via` (write the lock with `make lock`)"


def test_the_tests_run_the_versions_the_server_runs() -> None:
    runtime = {(p.name, p.marker): p.version for p in read_lock(ROOT / "requirements.lock")}
    test = {(p.name, p.marker): p.version for p in read_lock(ROOT / "requirements-test.lock")}
    # A pin under a marker at runtime may be unconditional in the test lock (tzdata: psycopg wants it
    # on Windows, pandas everywhere): the same version either way.
    differ = {
        k: (str(v), str(test.get(k, test.get((k[0], None))))) for k, v in runtime.items()
        if test.get(k, test.get((k[0], None))) != v
    }
    assert differ == {}, "requirements-test.lock differs from requirements.lock; run `make lock`"


def test_every_pin_has_hashes() -> None:
    for lock in LOCKS:
        text = (ROOT / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        missing = [b.split("=")[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
        assert missing == [], f"{lock}: pins without hashes: {missing}"
