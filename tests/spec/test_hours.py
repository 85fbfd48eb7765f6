import pytest

from mittari.spec.hours import parse_day_key, parse_time_range


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("08:00-16:00", (480, 960)),
        ("00:00-24:00", (0, 1440)),
        ("16:00-24:00", (960, 1440)),
        ("22:00-06:00", (1320, 1800)),
        ("23:30-00:00", (1410, 1440)),
        ("8:15 - 9:45", (495, 585)),
    ],
)
def test_time_ranges_in_local_minutes(text: str, minutes: tuple[int, int]) -> None:
    assert parse_time_range(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("08:00-16:60", "minutes must be 00..59"),
        ("08:00-25:00", "not a time of day"),
        ("24:30-02:00", "not a time of day"),
        ("24:00-06:00", "can only end a range"),
        ("08:00-08:00", "must differ"),
        ("0800-1600", "not a time range"),
        ("08:00", "not a time range"),
    ],
)
def test_bad_time_ranges(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_time_range(text)


def test_day_keys() -> None:
    assert parse_day_key("mon") == (0,)
    assert parse_day_key("mon-fri") == (0, 1, 2, 3, 4)
    assert parse_day_key("sat-sun") == (5, 6)
    with pytest.raises(ValueError, match="Monday-first"):
        parse_day_key("fri-mon")
    with pytest.raises(ValueError, match="unknown weekday 'monday'"):
        parse_day_key("monday")
