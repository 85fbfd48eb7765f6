"""The start page: the customers the principal may see (a viewer goes straight to its own)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from mittari.web.deps import Viewer
from mittari.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/ui/", response_class=HTMLResponse, response_model=None)
def home(page: Viewer) -> HTMLResponse | RedirectResponse:
    customers = page.customers()
    if not page.who.sees_all and len(customers) == 1:
        return RedirectResponse(f"/ui/{customers[0].key}/", status_code=303)
    return render(
        page.request, "home.html", who=page.who, nav_customers=customers, customers=customers
    )
