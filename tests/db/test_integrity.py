"""The bulk tables carry no foreign keys (models.NO_FOREIGN_KEYS); their writers keep every
reference. These checks run the writers and then look for dangling references."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from mittari.db.models import NO_FOREIGN_KEYS
from mittari.services.ingest import import_source
from mittari.services.stored import add_contract, measure_customer

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "src/mittari/importers/canonical/samples"
CONTRACTS = ROOT / "src/mittari/services/demo_contracts"

REFERENCES = {
    "events": {"ticket_id": "tickets", "batch_id": "import_batches"},
    "measurements": {
        "run_id": "measurement_runs",
        "ticket_id": "tickets",
        "contract_version_id": "contract_versions",
    },
}


def dangling(db: Engine) -> dict[str, int]:
    found = {}
    with db.connect() as conn:
        for table, columns in REFERENCES.items():
            for column, target in columns.items():
                sql = (
                    f"SELECT COUNT(*) FROM {table} x "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE t.id = x.{column})"
                )
                found[f"{table}.{column}"] = int(conn.execute(text(sql)).scalar() or 0)
    return found


def test_every_reference_of_the_bulk_tables_resolves(db: Engine) -> None:
    assert set(REFERENCES) == set(NO_FOREIGN_KEYS)
    add_contract(db, CONTRACTS / "kalliokone.yaml")
    import_source(db, "canonical", SAMPLES / "events.csv", tickets=SAMPLES / "tickets.csv")
    import_source(db, "canonical", SAMPLES / "events_with_errors.csv", customer="kalliokone")
    measure_customer(db, "kalliokone", 1_767_225_600_000_000)
    with db.connect() as conn:
        rows = {
            t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() or 0)
            for t in REFERENCES
        }
    assert all(n > 0 for n in rows.values()), rows  # the check below looks at real rows
    assert dangling(db) == dict.fromkeys(dangling(db), 0)


def test_the_check_finds_a_dangling_reference(db: Engine) -> None:
    import_source(db, "canonical", SAMPLES / "events.csv", tickets=SAMPLES / "tickets.csv")
    with db.begin() as conn:
        conn.execute(
            text("UPDATE events SET ticket_id = -5 WHERE id = (SELECT MIN(id) FROM events)")
        )
    assert dangling(db)["events.ticket_id"] == 1
