"""What the product finds in the demo's store: the stories read back by its own services.

Nothing here knows which customer a story was planted in: each story is the customer (or
team, or month) where the product's figures show it most clearly. Per customer: compliance
of the latest stored run, the watermelon matrix (`watermelon_stored`), the year's
experience figures, integrity flags with reported vs honest compliance per assignee
(`integrity.judge`), recurring-fault candidates and service-credit statements, each read
through the same tenant-scoped inputs (`stored_inputs`) as the API's reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from mittari.db import repository as repo
from mittari.db.scope import Principal, Role, Scoped
from mittari.engine.xla import Cell
from mittari.services.availability import availability_table, measure_availability, month_range
from mittari.services.credits import credit_statements
from mittari.services.demo_data import DemoYear
from mittari.services.experience import customer_parts, figures_table
from mittari.services.integrity import judge
from mittari.services.measure import compliance_table
from mittari.services.recurring import recurring_faults
from mittari.services.stored_inputs import StoredInputs, stored_inputs, stored_outages
from mittari.services.watermelon import MatrixCell
from mittari.services.watermelon_stored import customer_watermelon
from mittari.services.xla import experience_policy

DEMO = Principal(0, Role.PROVIDER_ADMIN, None)  # the demo reads every customer's store
RESOLUTION = "resolution"


@dataclass
class Story:
    kind: str  # watermelon, reverse, gamed clock, recurring fault, service credits
    customer: str
    text: str


@dataclass
class Findings:
    overview: pa.Table  # one row per customer
    stories: list[Story] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)  # every number shown


@dataclass
class _Customer:
    slug: str
    row: dict[str, object]
    cells: list[MatrixCell]
    happiness_min: float | None
    year: dict[str, object]  # the year's experience figures, all services
    integrity: pa.Table  # resolution rows per assignee: reported and honest
    flagged: Counter[str]  # flagged tickets per assignee
    recurring: list[dict[str, object]]  # the first problem candidates
    credits: list[tuple[str, Decimal, str, list[str]]]  # month, total, currency, lines


def find_stories(engine: Engine, year: DemoYear, as_of: int) -> Findings:
    """Every customer's figures, then the stories they tell."""
    seen = [_look(engine, part.customer.slug, year, as_of) for part in year.parts]
    overview = pa.Table.from_pylist([c.row for c in seen])
    stories = [
        s
        for s in (_watermelon(seen), _reverse(seen), _gamed(seen), _recurring(seen))
        if s is not None
    ]
    stories += _credits(seen)
    figures = {f"{c.slug}.{k}": v for c in seen for k, v in c.row.items()}
    figures |= {f"story.{i}": s.text for i, s in enumerate(stories)}
    return Findings(overview, stories, figures)


def _look(engine: Engine, slug: str, year: DemoYear, as_of: int) -> _Customer:
    cells = customer_watermelon(engine, slug, as_of_us=as_of)
    judged_sla = [c for c in cells if c.sla_ok is not None]
    kinds = Counter(c.cell for c in cells)
    parts = customer_parts(engine, slug, as_of_us=as_of)
    whole = _whole(parts)
    with engine.connect() as conn:
        owner = repo.customer_id(conn, slug) or -1
        scope = Scoped(conn, DEMO)
        found = stored_inputs(scope, owner)
        outages = stored_outages(scope, owner)
        policy = experience_policy(repo.active_contracts(conn, owner))
    bound = (
        next((o.bound for o in policy.objectives if o.figure == "happiness"), None)
        if policy
        else None
    )
    report = judge(
        found.log, found.contracts, found.integrity, found.customers(), found.tickets, as_of,
        ["metric", "assignee"],
    )  # fmt: skip
    metrics = compliance_table(report.reported.table, found.contracts, ["metric"])
    pct = {r["metric"]: round(r["compliance_pct"], 1) for r in metrics.to_pylist()}
    resolution = report.compliance.filter(pc.equal(report.compliance.column("metric"), RESOLUTION))
    flagged = _flagged_by_assignee(report.flags, report.reported.table)
    ranked = recurring_faults(found.log, found.ticket_table(), as_of, top=3)
    credits = _credit_months(found, report.reported.table, outages, year, as_of)
    row: dict[str, object] = {
        "customer": slug,
        "tickets": found.log.n_tickets,
        "resolution_pct": pct.get(RESOLUTION),
        "honest_resolution_pct": _honest(resolution),
        "first_response_pct": pct.get("first_response"),
        "sla_months_met": f"{sum(bool(c.sla_ok) for c in judged_sla)}/{len(judged_sla)}",
        "happiness": _round(whole.get("happiness")),
        "nps": _round(whole.get("nps")),
        "watermelon": kinds[Cell.WATERMELON],
        "reverse": kinds[Cell.REVERSE],
        "flagged_tickets": sum(flagged.values()),
        "credit_months": len(credits),
    }
    return _Customer(
        slug, row, cells, bound, whole, resolution, flagged, ranked.clusters.to_pylist(), credits
    )


def _honest(rows: pa.Table) -> float | None:
    """Honest compliance over every assignee's rows (the counts add up)."""
    count = pc.sum(rows.column("honest_count")).as_py() if rows.num_rows else 0
    met = pc.sum(rows.column("honest_met")).as_py() if rows.num_rows else 0
    return round(100 * met / count, 1) if count else None


def _whole(parts: pa.Table) -> dict[str, object]:
    """The experience figures of every service and month together."""
    if parts.num_rows == 0:
        return {}
    n = parts.num_rows
    pooled = parts.set_column(1, "service", pa.nulls(n, pa.string())).set_column(
        2, "month", pa.array(["all"] * n, pa.string())
    )
    rows = figures_table(pooled).to_pylist()
    return rows[0] if rows else {}


def _round(value: object) -> float | None:
    return None if value is None else round(float(str(value)), 1)


def _flagged_by_assignee(flags: pa.Table, measured: pa.Table) -> Counter[str]:
    """Flagged tickets counted under who held them when their resolution clock stopped."""
    rows = measured.filter(pc.equal(measured.column("metric"), RESOLUTION))
    holder = dict(
        zip(rows.column("ticket_id").to_pylist(), rows.column("assignee").to_pylist(), strict=True)
    )
    tickets = set(flags.column("ticket_id").to_pylist()) if flags.num_rows else set()
    return Counter(str(holder.get(t) or "unknown") for t in tickets)


def _credit_months(
    found: StoredInputs, measured: pa.Table, outages: pa.Table, year: DemoYear, as_of: int
) -> list[tuple[str, Decimal, str, list[str]]]:
    """Each month of the window with a service credit: its total and its lines."""
    if not any(t.credits for t in found.terms):
        return []
    zone = found.timezone
    since = month_range(f"{year.window.start:%Y-%m}", zone)[0]
    availability = measure_availability(outages, found.terms, as_of, since=since)
    uptime_rows = availability_table(availability).to_pylist()
    uptime = {(r["service"], r["month"]): r["uptime_pct"] for r in uptime_rows}
    missed = {r["month"] for r in uptime_rows if not r["objective_met"]}
    monthly = compliance_table(measured, found.contracts, ["month", "metric"])
    missed |= {r["month"] for r in monthly.to_pylist() if not r["objective_met"]}
    out = []
    for month in sorted(missed & set(_months(year))):  # a month with a credit missed something
        lines = credit_statements(found.terms, measured, availability, month, as_of).to_pylist()
        total = next((r for r in lines if r["step"] == "total"), None)
        if total is None or not total["amount"]:
            continue
        shown = [
            f"{r['item']} {_uptime(uptime.get((r['item'], month)))}{float(r['pct']):g} %"
            for r in lines
            if r["step"] in ("availability", "metric") and r["amount"]
        ]
        out.append((month, total["amount"], str(total["currency"]), shown))
    return out


def _uptime(value: object) -> str:
    return "" if value is None else f"uptime {float(str(value)):.2f} %: "


def _months(year: DemoYear) -> list[str]:
    first = year.window.start.year * 12 + year.window.start.month - 1
    last = year.window.end.year * 12 + year.window.end.month - 1
    return [f"{k // 12}-{k % 12 + 1:02d}" for k in range(first, last + 1)]


def _watermelon(seen: list[_Customer]) -> Story | None:
    c = max(seen, key=lambda s: (s.row["watermelon"], s.slug))
    if not c.row["watermelon"]:
        return None
    factors = [
        f"{name.removeprefix('factor_').removesuffix('_pct')} {value:.0f} %"
        for name, value in sorted(
            ((k, v) for k, v in c.year.items() if k.startswith("factor_") and v is not None),
            key=lambda kv: (-float(str(kv[1])), kv[0]),
        )[:2]
    ]
    quote = _quote(c.cells, Cell.WATERMELON, "negative")
    bound = "" if c.happiness_min is None else f" (XLA: at least {c.happiness_min:g})"
    text = (
        f"{c.slug}: SLAs met in {c.row['sla_months_met']} service-months (resolution "
        f"{c.row['resolution_pct']} %), yet happiness {c.row['happiness']:+g}{bound}: "
        f"{c.row['watermelon']} watermelon cells; its people name {', '.join(factors)}, lose "
        f"{float(str(c.year.get('lost_time_mean_min') or 0)):.0f} min per answer{quote}"
    )
    return Story("watermelon", c.slug, text)


def _reverse(seen: list[_Customer]) -> Story | None:
    c = max(seen, key=lambda s: (s.row["reverse"], s.slug))
    if not c.row["reverse"]:
        return None
    met, total = (int(x) for x in str(c.row["sla_months_met"]).split("/"))
    quote = _quote(c.cells, Cell.REVERSE, "positive")
    text = (
        f"{c.slug}: SLA missed in {total - met} of {total} service-months (resolution "
        f"{c.row['resolution_pct']} %), yet happiness {c.row['happiness']:+g}: "
        f"{c.row['reverse']} reverse cells, the SLA may measure the wrong thing{quote}"
    )
    return Story("reverse watermelon", c.slug, text)


def _quote(cells: list[MatrixCell], kind: Cell, sentiment: str) -> str:
    for cell in cells:
        if cell.cell == kind and cell.drivers is not None:
            for comment in cell.drivers.comments:
                if comment.sentiment == sentiment:
                    return f": “{comment.text}”"
    return ""


def _gamed(seen: list[_Customer]) -> Story | None:
    best: tuple[float, _Customer, dict[str, object]] | None = None
    for c in seen:
        for r in c.integrity.to_pylist():
            if r["reported_objective_met"] and not r["honest_objective_met"]:
                gap = r["reported_compliance_pct"] - r["honest_compliance_pct"]
                if best is None or gap > best[0]:
                    best = (gap, c, r)
    if best is None:
        return None
    _, c, r = best
    team = str(r["assignee"])
    total = sum(c.flagged.values())
    text = (
        f"{c.slug}: resolution reported {c.row['resolution_pct']} %, honest "
        f"{c.row['honest_resolution_pct']} % (objective {r['objective_pct']:g} %); its team "
        f"{team} reported {r['reported_compliance_pct']:.1f} %, honest "
        f"{r['honest_compliance_pct']:.1f} %: {c.flagged[team]} of the {total} tickets with "
        "integrity flags are its"
    )
    return Story("gamed clock", c.slug, text)


def _recurring(seen: list[_Customer]) -> Story | None:
    """The customer whose first problem candidate stands out most from its second."""
    ranked = [c for c in seen if c.recurring]
    if not ranked:
        return None

    def lead(c: _Customer) -> float:
        second = float(str(c.recurring[1]["score"])) if len(c.recurring) > 1 else 1.0
        return float(str(c.recurring[0]["score"])) / max(second, 1.0)

    c = max(ranked, key=lambda x: (lead(x), x.slug))
    top = c.recurring[0]
    text = (
        f"{c.slug} / {top['service']}: “{top['subject']}”, {top['count']} incidents, "
        f"{top['recent']} in the last 90 days against {top['previous']} in the 90 before: "
        f"the first of its problem candidates, {lead(c):.1f}× the score of the next"
    )
    return Story("recurring fault", c.slug, text)


def _credits(seen: list[_Customer]) -> list[Story]:
    months = [(c, m) for c in seen for m in c.credits]
    months.sort(key=lambda cm: (-cm[1][1], cm[0].slug, cm[1][0]))
    return [
        Story(
            "service credits",
            c.slug,
            f"{c.slug} {month}: {total:,.2f} {currency} due ({'; '.join(lines)})",
        )
        for c, (month, total, currency, lines) in months
    ]
