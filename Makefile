# One target per task; CI (.ci/run) calls `make test`, the README's test command.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck migrations unit bench bench-calendar bench-engine bench-store bench-recompute bench-api bench-face clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)  ## a year of an MSP with five customers: stored, measured, its stories found; serves the dashboard
	$(BIN)/mittari demo

test: lint typecheck migrations unit  ## everything CI runs

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src/mittari/engine src/mittari/spec src/mittari/importers src/mittari/db src/mittari/services/ingest.py src/mittari/services/staging.py src/mittari/services/stored.py src/mittari/services/recompute src/mittari/services/feedback.py src/mittari/services/experience.py src/mittari/services/experience_inputs.py src/mittari/services/sentiment src/mittari/services/surveys.py src/mittari/services/survey_trigger.py src/mittari/services/pulse.py src/mittari/services/pulse_results.py src/mittari/services/evidence_words.py src/mittari/services/honest_view.py src/mittari/services/recurring_view.py src/mittari/services/comments_view.py src/mittari/services/contract_view.py src/mittari/services/whatif.py src/mittari/services/review.py src/mittari/services/review_highlights.py src/mittari/services/demo.py src/mittari/services/demo_data.py src/mittari/services/demo_customers.py src/mittari/services/demo_clock.py src/mittari/services/demo_stories.py src/mittari/services/demo_subjects.py src/mittari/services/demo_feedback.py src/mittari/services/demo_outages.py src/mittari/services/demo_comments.py src/mittari/services/demo_findings.py

CHECK_DB := sqlite:///$(VENV)/alembic-check.db
migrations: $(STAMP)  ## alembic check: the models and the migrations agree
	rm -f $(VENV)/alembic-check.db
	MITTARI_DATABASE_URL=$(CHECK_DB) $(BIN)/mittari db upgrade
	MITTARI_DATABASE_URL=$(CHECK_DB) $(BIN)/alembic check

# The browser tests drive Debian's chromium through Playwright; no browser is downloaded.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

unit: $(STAMP) $(CHROMIUM)
	$(BIN)/pytest

bench: bench-calendar bench-engine bench-store bench-recompute bench-api bench-face

bench-calendar: $(STAMP)
	$(BIN)/python bench/bench_calendar.py

bench-engine: $(STAMP)
	$(BIN)/python bench/bench_engine.py

bench-store: $(STAMP)  ## import into SQLite and PostgreSQL, load back; pandas beside
	$(BIN)/python bench/bench_store.py

bench-api: $(STAMP)  ## 100k open tickets in PostgreSQL: at-risk feed and webhooks under load
	$(BIN)/python bench/bench_api.py

bench-face: $(STAMP) $(CHROMIUM)  ## the demo end to end, each dashboard page, report PDF beside chromium
	$(BIN)/python bench/bench_face.py

bench-recompute: $(STAMP)  ## 20M events: one piece, local engine, 2-worker LocalCluster
	$(BIN)/python bench/bench_recompute.py

clean:
	rm -rf $(VENV) build *.egg-info
