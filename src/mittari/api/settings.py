"""One typed settings object, read from `MITTARI_*` environment variables, failing loudly."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mittari.db.connect import DEFAULT_URL


class Settings(BaseSettings):
    """Every setting of the service; `MITTARI_` + the upper-case name sets it."""

    model_config = SettingsConfigDict(env_prefix="MITTARI_", extra="ignore", frozen=True)

    database_url: str = Field(DEFAULT_URL, description="SQLite file or postgresql+psycopg:// URL.")
    host: str = Field("127.0.0.1", description="Address `mittari serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `mittari serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="Server processes of `mittari serve`.")
    db_pool_size: int = Field(
        20, ge=1, le=1000, description="Database connections kept per server process."
    )
    page_size: int = Field(100, ge=1, le=10_000, description="Default page size of lists.")
    max_page_size: int = Field(
        1000, ge=1, le=100_000, description="Largest page a client may ask for."
    )
    webhook_max_bytes: int = Field(
        1_048_576, ge=1024, description="Largest webhook body accepted (bytes); larger is 413."
    )
    webhook_tolerance_s: int = Field(
        300, ge=1, description="Largest age of a signed webhook timestamp (replay window)."
    )
    sse_interval_s: float = Field(
        2.0, gt=0, description="How often the at-risk stream looks for changes (seconds)."
    )
    warning_pct: float = Field(75.0, gt=0, lt=100, description="At-risk state `warning` from here.")
    critical_pct: float = Field(
        90.0, gt=0, lt=100, description="At-risk state `critical` from here."
    )
    notifier: bool = Field(
        True, description="Run the breach-warning notifier inside `mittari serve`."
    )
    notify_interval_s: float = Field(10.0, gt=0, description="Seconds between notifier rounds.")
    delivery_attempts: int = Field(
        6, ge=1, le=50, description="Attempts to deliver a breach warning to one hook."
    )
    delivery_backoff_s: float = Field(
        5.0, gt=0, description="First retry delay of a delivery; doubles each attempt."
    )
    survey_rate_per_minute: int = Field(
        30, ge=1, le=100_000, description="Survey page requests per client address a minute."
    )
    survey_valid_days: int = Field(30, ge=1, le=365, description="Days a survey link works.")
    smtp_host: str = Field("localhost", description="SMTP server the survey e-mails go through.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_from: str = Field("mittari@localhost", description="Sender of the survey e-mails.")
    survey_base_url: str = Field(
        "http://127.0.0.1:8000", description="Public address the survey links start with."
    )
    survey_interval_days: float = Field(
        30.0, ge=0, description="Least days between two survey e-mails to one requester."
    )
