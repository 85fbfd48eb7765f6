"""The dashboard's tests use the API tests' world: two customers, four personas, both databases."""

from tests.api.conftest import world  # noqa: F401  (the session-scoped fixture, reused)
