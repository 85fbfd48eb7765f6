"""`spec.integrity` as written: thresholds of the integrity flags, every field optional.

Defaults are applied by `resolve_integrity_section`, not here (as for the rest of the
format). Shares are percentages (`10%`); windows are wall-clock durations that may use
days (`7d`: a reopen a week later is a week later whatever the calendar); the two
business-time durations (`keptAfterReply`, `silentFor`) refuse days like targets do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic.alias_generators import to_camel

from mittari.engine.integrity.policy import (
    BunchingPolicy,
    ClonePolicy,
    HollowResponsePolicy,
    IntegrityPolicy,
    LateDowngradePolicy,
    PausePolicy,
    PrematureResolvePolicy,
    ScopeEscapePolicy,
)
from mittari.engine.types import US
from mittari.spec.durations import DurationError, parse_duration
from mittari.spec.scalars import Duration, Name, Text
from mittari.spec.vocabulary import did_you_mean

_DAYS = re.compile(r"(?P<d>\d+)d(?P<rest>.*)")


def parse_window(text: object) -> int:
    """Whole seconds of a wall-clock window: `7d`, `36h`, `1d12h`, `10m`."""
    compact = "".join(text.split()) if isinstance(text, str) else text
    found = _DAYS.fullmatch(compact) if isinstance(compact, str) else None
    try:
        if found is None:
            return parse_duration(text)
        rest = parse_duration(found["rest"]) if found["rest"] else 0
    except DurationError as error:
        if "positive" in str(error):
            raise
        raise DurationError(
            "a window is wall-clock time in whole d, h, m and s, in that order, "
            "e.g. 7d, 36h, 1d12h, 10m"
        ) from None
    seconds = int(found["d"]) * 86400 + rest
    if seconds <= 0:
        raise DurationError("a duration must be positive")
    return seconds


def _window(value: object) -> object:
    parse_window(value)
    return value


def parse_share(value: object, most: float = 100.0) -> float:
    """`10%`, or a number meaning percent; above 0 and at most `most`."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = float(value.strip()[:-1])
        except ValueError:
            raise ValueError(f"'{value}' is not a percentage; write e.g. 10%") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number < 1:
            raise ValueError(
                f"a bare number is a percentage, so {value} means {value} %; "
                f"write {value * 100:g}% if that share is meant"
            )
    else:
        raise ValueError("write a share as a percentage, e.g. 10%")
    if not 0 < number <= most:
        raise ValueError(f"a share here is a percentage above 0 and at most {most:g}%")
    return number


def _share_up_to(most: float) -> Any:
    return BeforeValidator(lambda value: parse_share(value, most))


def _positive_count(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("a count is a whole number of at least 1, e.g. 20")
    return value


Window = Annotated[str, BeforeValidator(_window)]
Count = Annotated[int, BeforeValidator(_positive_count)]
Share = Annotated[float, _share_up_to(100.0)]
HalfShare = Annotated[float, _share_up_to(50.0)]  # two windows of it must fit in a target


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel)


class PrematureResolveModel(_Model):
    enabled: bool | None = None
    last_share: Share | None = None
    reopen_within: Window | None = None


class LateDowngradeModel(_Model):
    enabled: bool | None = None
    after_used: Share | None = None


class PauseWithoutCauseModel(_Model):
    enabled: bool | None = None
    require_question: bool | None = None
    after_customer_reply: Window | None = None
    kept_after_reply: Duration | None = None
    near_due: Share | None = None


class HollowFirstResponseModel(_Model):
    enabled: bool | None = None
    within: Window | None = None
    silent_for: Duration | None = None


class CloneToRestartModel(_Model):
    enabled: bool | None = None
    last_share: Share | None = None
    successor_within: Window | None = None
    categories: tuple[Text, ...] | None = None


class ScopeEscapeModel(_Model):
    enabled: bool | None = None
    categories: tuple[Text, ...] | None = None


class DeadlineBunchingModel(_Model):
    enabled: bool | None = None
    window: HalfShare | None = None
    min_resolutions: Count | None = None
    alpha: HalfShare | None = None


class IntegrityModel(_Model):
    """`spec.integrity`: which metrics the flags read, and each flag's thresholds."""

    resolution_metric: Name | None = None
    response_metric: Name | None = None
    premature_resolve: PrematureResolveModel | None = None
    late_downgrade: LateDowngradeModel | None = None
    pause_without_cause: PauseWithoutCauseModel | None = None
    hollow_first_response: HollowFirstResponseModel | None = None
    clone_to_restart: CloneToRestartModel | None = None
    scope_escape: ScopeEscapeModel | None = None
    deadline_bunching: DeadlineBunchingModel | None = None


def check_metrics(model: IntegrityModel | None, info: ValidationInfo) -> IntegrityModel | None:
    """The metrics named must be metrics of the spec (validated before this field)."""
    metrics = info.data.get("metrics")
    if model is None or not isinstance(metrics, dict):
        return model
    for key, name in (
        ("resolutionMetric", model.resolution_metric),
        ("responseMetric", model.response_metric),
    ):
        if name is not None and name not in metrics:
            listed = ", ".join(sorted(metrics)) or "none"
            raise ValueError(
                f"{key}: unknown metric '{name}'{did_you_mean(name, metrics)}; "
                f"spec.metrics defines: {listed}"
            )
    return model


IntegrityField = Annotated[IntegrityModel | None, AfterValidator(check_metrics)]


# --- resolution: defaults applied -------------------------------------------------------


def resolve_integrity_section(
    model: IntegrityModel | None, metric_types: Mapping[str, str]
) -> IntegrityPolicy:
    """The policy with defaults; the metrics default to the first of their stock type."""
    m = model or IntegrityModel()

    def first_of(kind: str) -> str | None:
        return next((name for name, t in metric_types.items() if t == kind), None)

    return IntegrityPolicy(
        resolution_metric=m.resolution_metric or first_of("resolution"),
        response_metric=m.response_metric or first_of("first_response"),
        premature_resolve=_premature(m.premature_resolve or PrematureResolveModel()),
        late_downgrade=_downgrade(m.late_downgrade or LateDowngradeModel()),
        pause_without_cause=_pause(m.pause_without_cause or PauseWithoutCauseModel()),
        hollow_first_response=_hollow(m.hollow_first_response or HollowFirstResponseModel()),
        clone_to_restart=_clone(m.clone_to_restart or CloneToRestartModel()),
        scope_escape=_scope(m.scope_escape or ScopeEscapeModel()),
        deadline_bunching=_bunching(m.deadline_bunching or DeadlineBunchingModel()),
    )


def _given(model: BaseModel, **renames: str) -> dict[str, Any]:
    """The fields written in the YAML (not None), under the policy's names."""
    out: dict[str, Any] = {}
    for name, value in model:
        if value is not None:
            out[renames.get(name, name)] = value
    return out


def _us(text: str, parse: Any = parse_duration) -> int:
    return int(parse(text)) * US


def _premature(m: PrematureResolveModel) -> PrematureResolvePolicy:
    fields = _given(m, last_share="last_share_pct", reopen_within="reopen_within_us")
    if "reopen_within_us" in fields:
        fields["reopen_within_us"] = _us(fields["reopen_within_us"], parse_window)
    return PrematureResolvePolicy(**fields)


def _downgrade(m: LateDowngradeModel) -> LateDowngradePolicy:
    return LateDowngradePolicy(**_given(m, after_used="after_used_pct"))


def _pause(m: PauseWithoutCauseModel) -> PausePolicy:
    fields = _given(
        m,
        after_customer_reply="after_customer_reply_us",
        kept_after_reply="kept_after_reply_business_us",
        near_due="near_due_pct",
    )
    if "after_customer_reply_us" in fields:
        fields["after_customer_reply_us"] = _us(fields["after_customer_reply_us"], parse_window)
    if "kept_after_reply_business_us" in fields:
        fields["kept_after_reply_business_us"] = _us(fields["kept_after_reply_business_us"])
    return PausePolicy(**fields)


def _hollow(m: HollowFirstResponseModel) -> HollowResponsePolicy:
    fields = _given(m, within="within_us", silent_for="silent_for_business_us")
    if "within_us" in fields:
        fields["within_us"] = _us(fields["within_us"], parse_window)
    if "silent_for_business_us" in fields:
        fields["silent_for_business_us"] = _us(fields["silent_for_business_us"])
    return HollowResponsePolicy(**fields)


def _clone(m: CloneToRestartModel) -> ClonePolicy:
    fields = _given(m, last_share="last_share_pct", successor_within="successor_within_us")
    if "successor_within_us" in fields:
        fields["successor_within_us"] = _us(fields["successor_within_us"], parse_window)
    if "categories" in fields:
        fields["categories"] = frozenset(fields["categories"])
    return ClonePolicy(**fields)


def _scope(m: ScopeEscapeModel) -> ScopeEscapePolicy:
    fields = _given(m)
    if "categories" in fields:
        fields["categories"] = frozenset(fields["categories"])
    return ScopeEscapePolicy(**fields)


def _bunching(m: DeadlineBunchingModel) -> BunchingPolicy:
    return BunchingPolicy(**_given(m, window="window_pct", alpha="alpha_pct"))
