"""Services given a customer's tables read once (as the overview page does) give exactly
what they give when each reads the store itself."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.api.conftest import A, B, World

from mittari.db.scope import Principal, Role, Scoped
from mittari.services.experience import customer_parts
from mittari.services.stored import stored_run, stored_tables
from mittari.services.stored_inputs import stored_inputs
from mittari.services.stored_reports import credit_report
from mittari.services.watermelon_stored import customer_watermelon


def test_tables_read_once_give_the_same_figures(world: World) -> None:
    now = int(datetime.now(UTC).timestamp() * 1_000_000)
    with world.engine.connect() as conn:
        scope = Scoped(conn, Principal(0, Role.PROVIDER_ADMIN, None))
        for key in (A, B):
            owner = scope.customer_id(key)
            assert owner is not None
            loaded = stored_tables(scope, owner)
            run = stored_run(conn, owner, key, scope.runs(owner)[-1].id)
            parts = customer_parts(world.engine, key, as_of_us=now)
            assert customer_parts(world.engine, key, as_of_us=now, loaded=loaded).equals(parts)
            assert customer_watermelon(
                world.engine, key, as_of_us=now, loaded=loaded, run=run, parts=parts
            ) == customer_watermelon(world.engine, key, as_of_us=now)
            once, alone = stored_inputs(scope, owner, loaded=loaded), stored_inputs(scope, owner)
            assert once.tickets.equals(alone.tickets)
            assert once.log.ticket_ids == alone.log.ticket_ids
            for month in ("2025-01", "2025-03"):
                assert credit_report(scope, owner, month, now, loaded=loaded).equals(
                    credit_report(scope, owner, month, now)
                )
