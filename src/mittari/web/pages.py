"""Every router of the dashboard's pages, in one list (`site.create_site` includes them).

Each page module under `routes/` has a `router`; add it here. The persona tests walk the
app's route table, so a new page fails there until it gets its access rule.
"""

from __future__ import annotations

from fastapi import APIRouter

from mittari.web.routes import (
    atrisk,
    comments,
    contracts,
    home,
    honest,
    overview,
    recurring,
    tickets,
)


def routers() -> list[APIRouter]:
    return [
        home.router,
        overview.router,
        atrisk.router,
        tickets.router,
        honest.router,
        recurring.router,
        comments.router,
        contracts.router,
    ]
