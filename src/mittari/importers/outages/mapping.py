"""The mapping file of the outage importers (`mapping.yaml` here holds the defaults)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from mittari.importers.mapping import load_mapping

SHIPPED = Path(__file__).with_name("mapping.yaml")
Weight = Annotated[float, Field(gt=0, le=1)]  # a full outage is 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel)


class AlertmanagerMapping(_Model):
    service_label: str = "service"
    weight_label: str = "weight"
    planned_label: str = "planned"
    severity_label: str = "severity"
    severity_weights: dict[str, Weight] = Field(default_factory=dict)


class ZabbixMapping(_Model):
    service_tag: str = "service"
    service_from_host: bool = True
    weight_tag: str = "weight"
    severity_weights: dict[str, Weight] = Field(default_factory=dict)


class OutageMapping(_Model):
    alertmanager: AlertmanagerMapping = AlertmanagerMapping()
    zabbix: ZabbixMapping = ZabbixMapping()


def load(path: str | Path | None = None) -> OutageMapping:
    """The mapping at `path`, or the shipped defaults."""
    return shipped() if path is None else load_mapping(path, OutageMapping)


@functools.cache
def shipped() -> OutageMapping:
    """The defaults, read once per process: a webhook delivery costs less than the YAML."""
    return load_mapping(SHIPPED, OutageMapping)
