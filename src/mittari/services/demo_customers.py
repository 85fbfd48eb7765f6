"""The demo's five customers: made-up companies, each with the profile its story needs.

A profile sets the volume and mix of tickets, the services, the service desk's hours, how
fast it works (and the contract's resolution targets it works against, which must be the
contract's: tests/services/test_demo_data.py checks), and how its people feel (`Feel`):
their mood after a ticket that went well, how many answer, how often a "resolved" ticket
was not really fixed, and the quarterly pulse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mittari.engine.types import I64
from mittari.services.demo_clock import HOUR

TEAMS = ("Service Desk", "Network", "Workplace", "Applications")


@dataclass(frozen=True)
class Feel:
    """How a customer's people feel about tickets that went well, and how many answer."""

    mood: float = 9.5  # latent 0-10 score of a ticket that went well
    not_fixed: float = 0.03  # share of resolved tickets that were not really fixed
    response: float = 0.33  # share of resolved tickets whose requester answers the survey
    pulse: float = 8.3  # latent score of the quarterly partnership pulse
    pulse_trend: float = 0.0  # change of the pulse over the window (negative: souring)


@dataclass(frozen=True)
class DemoCustomer:
    slug: str  # the `customer` column
    name: str
    timezone: str
    country: str  # public holidays close the office (holidays package)
    tickets: int  # mean tickets per year
    services: dict[str, float] = field(compare=False)  # service -> share of tickets
    auto_ack: float = 0.1  # share of tickets a bot acknowledges right after creation
    people: int = 600  # requesters
    prefix: str = ""  # of ticket ids; default: the slug's first three letters
    hours: tuple[int, int] = (8, 16)  # the service desk's office hours, local
    round_the_clock: int = 1  # priorities up to this one are worked 24x7 (4: all)
    resolution_h: tuple[int, int, int, int] = (4, 8, 24, 40)  # the contract's targets, P1..P4
    speed: float = 1.0  # multiplies the resolution delays (below 1: faster)
    answer: float = 1.0  # multiplies the first-response delays
    reopen: float = 0.055  # share of resolved tickets reopened
    desk: str = TEAMS[0]  # the first-line team
    desk_speed: float = 1.0  # multiplies the resolution delays of the tickets it keeps
    gaming: float = 0.0  # share of the desk's would-be breaches it hides (demo_stories)
    recurring: bool = False  # plant the fault that keeps coming back (demo_stories)
    language: str = "fi"  # of most comments (sv comments get no sentiment: none is analysed)
    feel: Feel = Feel()

    @property
    def id_prefix(self) -> str:
        return self.prefix or self.slug[:3].upper()

    def target_us(self, priority: I64) -> I64:
        """The resolution target of each priority, in business µs."""
        hours = np.asarray(self.resolution_h, dtype=np.int64)
        return np.asarray(hours[priority - 1] * HOUR, dtype=np.int64)


DEMO_CUSTOMERS = (
    DemoCustomer(  # the watermelon: fast, green SLAs; not fixed, reopened, unhappy people
        slug="kalliokone",
        name="Kalliokone Oy",
        timezone="Europe/Helsinki",
        country="FI",
        tickets=6500,
        services={"Email": 0.25, "VPN": 0.15, "ERP": 0.2, "Laptops": 0.25, "Printing": 0.15},
        auto_ack=0.8,
        people=900,
        speed=0.5,
        reopen=0.12,
        feel=Feel(mood=8.3, not_fixed=0.25, response=0.4, pulse=6.5, pulse_trend=-2.0),
    ),
    DemoCustomer(  # 24x7 warehouses; the WMS fault that keeps coming back
        slug="revontuli",
        name="Revontuli Logistiikka Oy",
        timezone="Europe/Helsinki",
        country="FI",
        tickets=5500,
        services={"Email": 0.25, "VPN": 0.1, "WMS": 0.35, "Laptops": 0.15, "Mobile": 0.15},
        people=700,
        round_the_clock=4,
        resolution_h=(4, 12, 72, 120),
        recurring=True,
    ),
    DemoCustomer(  # Swedish: slow against its SLA, yet its people are happy
        slug="saaristo",
        name="Saaristo Frakt AB",
        timezone="Europe/Stockholm",
        country="SE",
        tickets=4000,
        services={"E-post": 0.3, "VPN": 0.15, "Affärssystem": 0.2, "Datorer": 0.25, "Bokning": 0.1},
        auto_ack=0.3,
        people=450,
        hours=(7, 17),
        resolution_h=(6, 10, 30, 50),
        speed=1.6,
        language="sv",
        feel=Feel(mood=9.6, not_fixed=0.01, response=0.3, pulse=9.0),
    ),
    DemoCustomer(  # green on both sides
        slug="kuura",
        name="Kuura Kiinteistöt Oy",
        timezone="Europe/Helsinki",
        country="FI",
        tickets=3000,
        services={
            "Email": 0.25,
            "Laptops": 0.25,
            "Kiinteistöautomaatio": 0.3,
            "Mobile": 0.1,
            "Printing": 0.1,
        },
        people=350,
        hours=(7, 19),
        round_the_clock=2,
        resolution_h=(4, 8, 16, 36),
        speed=0.6,
        answer=0.4,
    ),
    DemoCustomer(  # the field-support team that hides its breaches
        slug="lakeus",
        name="Lakeuden Energia Oy",
        timezone="Europe/Helsinki",
        country="FI",
        tickets=4500,
        services={
            "Email": 0.2,
            "Laptops": 0.25,
            "Asiakastieto": 0.25,
            "Kaukoluenta": 0.15,
            "VPN": 0.15,
        },
        auto_ack=0.2,
        people=500,
        desk="Field Support",
        desk_speed=1.5,
        gaming=0.95,
        feel=Feel(mood=9.6),
    ),
)
