"""The docs stand alone: every API path docs/API.md names is served, and nothing points outside
the repository (a clone has no `shared/` folder beside it)."""

import re
import subprocess

import httpx

from tests.server import ROOT, Server

OUTSIDE = re.compile(r"(?<![\w.-])(\.\./)?" + "shared" + r"/[A-Z]\w*\.md")


def served_paths(server: Server) -> list[re.Pattern[str]]:
    paths = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    return [re.compile("^" + re.sub(r"\\\{\w+\\\}", r"\\{\\w+\\}", re.escape(p)) + "$") for p in paths]


def test_every_path_in_the_api_doc_is_served(server: Server) -> None:
    text = (ROOT / "docs" / "API.md").read_text()
    named = set(re.findall(r"(?:GET|POST|PATCH|DELETE) (/api/[\w{}./-]*[\w}])", text))
    assert len(named) > 25
    served = served_paths(server)
    missing = sorted(p for p in named if not any(s.match(p) for s in served))
    assert missing == [], f"docs/API.md names paths the server does not have: {missing}"


def test_every_served_path_is_in_the_api_doc(server: Server) -> None:
    """A path counts as named in full (`POST /api/runs/{id}/pause`) or by its last part after
    its resource's (`/resume`, `/history.csv`)."""
    text = (ROOT / "docs" / "API.md").read_text()
    named = {re.sub(r"\{\w+\}", "{}", p) for p in re.findall(r"(?:GET|POST|PATCH|DELETE) (/api/[\w{}./-]*[\w}])", text)}
    short = set(re.findall(r"`(/[\w.-]+)`", text))
    paths = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    missing = []
    for path in paths:
        general = re.sub(r"\{\w+\}", "{}", path)
        if general not in named and "/" + path.rsplit("/", 1)[1] not in short:
            missing.append(path)
    assert missing == [], f"docs/API.md (the API contract) does not name these paths yet: {missing}"


def test_the_readme_points_at_the_api_doc_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## The API\n", 1)[1].split("\n## ", 1)[0]
    assert "docs/API.md" in section
    for target in re.findall(r"`((?:docs|scripts|tests|app)/[\w./-]+\.\w+)`", readme):
        assert (ROOT / target).exists(), f"README names {target}, which is not in the repository"


def test_nothing_points_outside_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    texts = [p for p in tracked.split() if p.endswith((".md", ".py", ".js", ".html", ".toml", ".yaml", ".sh"))]
    found = []
    for path in texts:
        for number, line in enumerate((ROOT / path).read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path}:{number}: {line.strip()}")
    assert found == [], "files point at a folder a clone does not have:\n" + "\n".join(found)
