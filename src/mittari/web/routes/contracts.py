"""The customer's contract versions: each version's YAML, a line diff between two versions
(`?a=<id>&b=<id>`), and "what if": a past month recomputed under a chosen version beside the
stored run's figures, read-only (nothing is stored)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from mittari.db.models import ContractVersion
from mittari.services.contract_view import diff_lines, version_state, version_text
from mittari.services.whatif import policy_of, run_months, what_if
from mittari.web.deps import PageNotFound, Viewer
from mittari.web.routes.more_params import Checked, now_us, render_checked

router = APIRouter(include_in_schema=False)


@router.get("/ui/{customer}/contracts", response_class=HTMLResponse)
def contracts(
    customer: str,
    page: Viewer,
    version: str | None = None,
    a: str | None = None,
    b: str | None = None,
) -> HTMLResponse:
    found = page.customer(customer)
    checked = Checked()
    versions = page.scope.contract_versions(found.id, active_only=False)
    now = now_us()
    states = {v.id: version_state(v, now) for v in versions}
    shown = _chosen(versions, checked.number(version, "version")) or _default(versions, now)
    old = _chosen(versions, checked.number(a, "a"))
    new = _chosen(versions, checked.number(b, "b"))
    if old is None and new is None and len(versions) > 1 and shown is not None:
        old, new = _neighbours(versions, shown)
    diff = None
    if old is not None and new is not None:
        diff = diff_lines(version_text(old), version_text(new), _name(old), _name(new))
    return render_checked(
        page,
        "contracts.html",
        found,
        "contracts",
        checked,
        versions=versions,
        states=states,
        shown=shown,
        text=version_text(shown) if shown is not None else "",
        old=old,
        new=new,
        diff=diff,
        zone=_zone(shown),
    )


@router.get("/ui/{customer}/contracts/what-if", response_class=HTMLResponse)
def contracts_what_if(
    customer: str, page: Viewer, month: str | None = None, version: str | None = None
) -> HTMLResponse:
    found = page.customer(customer)
    checked = Checked()
    versions = page.scope.contract_versions(found.id, active_only=False)
    now = now_us()
    chosen = _chosen(versions, checked.number(version, "version")) or _default(versions, now)
    runs = page.scope.runs(found.id)
    run = runs[-1] if runs else None
    months = run_months(page.scope, found.id, found.key, run) if run is not None else []
    wanted = checked.month(month) or (months[-1] if months else None)
    result = None
    if chosen is not None and wanted is not None:
        result = what_if(page.scope, found.id, found.key, chosen, wanted, run, now)
    return render_checked(
        page,
        "whatif.html",
        found,
        "contracts",
        checked,
        versions=versions,
        states={v.id: version_state(v, now) for v in versions},
        chosen=chosen,
        months=months,
        month=wanted,
        run=run,
        result=result,
    )


def _chosen(versions: list[ContractVersion], wanted: int | None) -> ContractVersion | None:
    """The version of that id; another customer's, or none, is a page not found."""
    if wanted is None:
        return None
    for v in versions:
        if v.id == wanted:
            return v
    raise PageNotFound()


def _default(versions: list[ContractVersion], now: int) -> ContractVersion | None:
    """The newest version in force now, else the newest not superseded, else the newest."""
    in_force = [v for v in versions if version_state(v, now) == "in_force"]
    current = [v for v in versions if v.superseded_at is None]
    return (in_force or current or versions)[-1] if versions else None


def _neighbours(
    versions: list[ContractVersion], version: ContractVersion
) -> tuple[ContractVersion, ContractVersion]:
    """`version` and the one before it (by effective date, then id): the diff shown by
    default; for the first version, it and the next."""
    ordered = sorted(versions, key=lambda v: (v.effective_from_us, v.id))
    at = ordered.index(version)
    return (ordered[at - 1], version) if at > 0 else (version, ordered[1])


def _name(version: ContractVersion) -> str:
    return f"{version.file_name} ({version.label}, #{version.id})"


def _zone(version: ContractVersion | None) -> str:
    """The zone the contract's dates are written in (its own), for showing them."""
    return "UTC" if version is None else policy_of(version).timezone
