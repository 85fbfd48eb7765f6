"""The data layer: SQLAlchemy 2 models, Alembic migrations and repositories.

SQLite is the embedded default (`sqlite:///./mittari.db`); PostgreSQL (`postgresql+psycopg://`)
is the production database. `MITTARI_DATABASE_URL` selects one. Bulk data (events,
measurements) moves as Arrow columns through `bulk.py`, never as per-row ORM objects.
"""
