"""The CLI tests that mail use a real SMTP server of their own (tests/smtp.py)."""

from tests.smtp import inbox  # noqa: F401  (the fixture, reused)
