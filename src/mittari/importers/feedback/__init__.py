"""Survey answers in the experience model: a CSV of any tool's survey export, mapped by a
mapping file, and the Zendesk and JSM ratings of the ticket importers (README.md here)."""

from mittari.importers.feedback.csvfile import AnswerExtract, read_answers
from mittari.importers.feedback.mapping import SurveyMapping
from mittari.importers.feedback.model import (
    ANSWER_SCHEMA,
    LOST_TIMES,
    SCALES,
    SURVEYS,
    UNANSWERED,
    from_importer,
    from_jsm,
    from_zendesk,
)

__all__ = [
    "ANSWER_SCHEMA",
    "LOST_TIMES",
    "SCALES",
    "SURVEYS",
    "UNANSWERED",
    "AnswerExtract",
    "SurveyMapping",
    "from_importer",
    "from_jsm",
    "from_zendesk",
    "read_answers",
]
