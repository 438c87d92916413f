from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.paths import TEMPLATES_DIR

router = APIRouter(tags=["pages"])
templates = Jinja2Templates(directory=TEMPLATES_DIR)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index(request: Request) -> HTMLResponse:
    """The playground page; its scripts and browser libraries are served from /static."""
    return templates.TemplateResponse(request, "index.html", {"static": "/static"})


@router.get("/teacher", response_class=HTMLResponse, include_in_schema=False)
async def teacher(request: Request) -> HTMLResponse:
    """The teacher view: classes and join codes, every student's runs live, challenges and leaderboards."""
    return templates.TemplateResponse(request, "teacher.html", {"static": "/static"})
