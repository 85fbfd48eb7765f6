import pytest

from mittari.spec import DurationError, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("4h", 14_400),
        ("2h30m", 9000),
        ("90s", 90),
        ("1h30m15s", 5415),
        ("90m", 5400),
        ("2h 30m", 9000),
        ("100h", 360_000),
    ],
)
def test_durations_in_hours_minutes_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["1d", "2d4h", "1w", "1 d"])
def test_days_and_weeks_are_refused_as_ambiguous(text: str) -> None:
    with pytest.raises(DurationError, match="ambiguous in business time"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0m", "0h0m0s", "-30m", "-1h"])
def test_zero_and_negative_are_refused(text: str) -> None:
    with pytest.raises(DurationError, match="must be positive"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["", "30", "30M", "1.5h", "30m2h", "h", "4hours", "1h1h"])
def test_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("value", [30, 1.5, True, None])
def test_non_text_is_refused_with_a_hint_to_add_units(value: object) -> None:
    with pytest.raises(DurationError, match="text with units"):
        parse_duration(value)
