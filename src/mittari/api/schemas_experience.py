"""What the experience routes return: figures with their counts, XLA objectives judged,
and the watermelon matrix with its drivers (docs/experience.md defines every figure)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["met", "missed", "unknown"]


class ExperienceOut(BaseModel):
    service: str | None = Field(
        description="The service; null for every service together (by=customer), or for "
        "answers that name no service."
    )
    month: str | None = Field(description="YYYY-MM, a local month in the contract's zone.")
    counts: dict[str, int] = Field(
        description="What the figures rest on: `answers` (scored ticket answers), `pulse_n`, "
        "`resolved` and `created` tickets, and the counts of the pulse questions."
    )
    figures: dict[str, float | None] = Field(
        description="Every figure by name: happiness, happiness_mean, csat_pct, csat_mean, "
        "nps, response_rate_pct, lost_time_mean_min, lost_time_total_h, reopen_rate_pct, "
        "fcr_pct, reassignments_mean, ping_pong_pct, repeat_contact_pct, sentiment_net and "
        "the pulse figures; null where there is nothing to count."
    )
    factors: dict[str, float] = Field(
        description="Factor code → % of the ticket answers naming a factor that name this one "
        "(team factors as `team:<code>`, of the team answers naming one)."
    )


class XlaOut(BaseModel):
    service: str | None = Field(description="Null: every service together (by=customer).")
    month: str | None
    figure: str = Field(description="The figure the objective bounds (happiness, …).")
    direction: Literal["min", "max"]
    objective: float = Field(description="The bound: at least (min) or at most (max).")
    value: float | None = Field(description="The month's figure; null: nothing to count.")
    basis: int = Field(description="The count the figure rests on (answers, tickets …).")
    status: Literal["met", "missed", "not enough answers"]
    met: bool | None = Field(description="Null when there were not enough answers to judge.")
    baseline: float | None = Field(description="The figure over the contract's baseline period.")


class CommentOut(BaseModel):
    text: str
    sentiment: Literal["positive", "negative", "neutral"] | None = Field(
        description="Null: a language that is not analysed."
    )


class DriversOut(BaseModel):
    missed: list[str] = Field(description="Missed XLA objectives: `happiness 20 (min 40)`.")
    factors: list[str] = Field(description="The three factors most named: `not_fixed 60%`.")
    lost_time_mean_min: float | None
    lost_time_total_h: float | None
    comments: list[CommentOut] = Field(
        description="Up to three of the month's comments on the service, those that speak for "
        "the cell first (complaints in a watermelon, praise in a reverse cell)."
    )


class WatermelonOut(BaseModel):
    service: str | None
    month: str
    sla: Status = Field(description="Every SLA objective of the month met (latest run).")
    experience: Status = Field(description="XLA objectives: any missed, else met if any met.")
    cell: Literal["green", "watermelon", "reverse", "red", "unknown"] = Field(
        description="watermelon: SLA met, experience missed; reverse: SLA missed, people "
        "content; green: both met; red: both missed; unknown: a side has nothing to judge."
    )
    drivers: DriversOut | None = Field(description="Why, for watermelon and reverse cells.")
