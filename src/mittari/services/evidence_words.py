"""The evidence of an integrity flag, event by event, for pages that write it in words.

`services.integrity_tables.describe_event` writes each event of a hit as
`<ticket> <instant>Z <kind>[:<value>]` and the flags table joins them with `; ` (the
format `mittari integrity --out` and the API give). `evidence_events` reads that text back
into its parts, so a page can show each event's instant in the customer's zone and its
kind in the reader's language; text it cannot read comes back as None, and the page then
shows it as it is, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from mittari.engine.types import Kind

_KINDS = "|".join(k.name.lower() for k in Kind)
# An event starts the text or follows "; "; its ticket name may hold spaces (not "; "), so
# the head is found by the instant and kind that follow it. A value may hold "; " too: a
# group called "Desk; 2nd line" is read whole, since "2nd line" is followed by no instant.
_NAME = r"(?:(?!; )\S)(?:(?:(?!; ).)*?\S)?"
_HEAD = re.compile(
    rf"(?:^|; )(?P<ticket>{_NAME}) (?P<at>\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"
    rf" (?P<kind>{_KINDS})(?=:|; |$)"
)


@dataclass(frozen=True)
class EvidenceEvent:
    """One event of a hit: its ticket, instant (µs UTC), kind and value (status, priority,
    group, category, or the actor of a reply or note; "" for `created`)."""

    ticket: str
    at_us: int
    kind: str
    value: str


def evidence_events(text: str) -> list[EvidenceEvent] | None:
    """The events of an evidence text, main event first; None when it is not in the
    format `describe_event` writes."""
    heads = list(_HEAD.finditer(text))
    if not heads or heads[0].start() != 0:
        return None
    found: list[EvidenceEvent] = []
    for head, following in zip(heads, [*heads[1:], None], strict=True):
        end = len(text) if following is None else following.start()
        rest = text[head.end() : end]
        if rest and not rest.startswith(":"):
            return None
        at = datetime.strptime(head["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        value = rest[1:]
        found.append(
            EvidenceEvent(head["ticket"], int(at.timestamp()) * 1_000_000, head["kind"], value)
        )
    return found
