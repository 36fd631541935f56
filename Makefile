# Shortcuts over scripts/; `make help` lists them.
.DEFAULT_GOAL := help
VENV := .venv/bin

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: ## Create .venv with the pinned dependencies
	scripts/setup

run: ## Set up and serve the desk on SQLite with the demo operator
	scripts/run

test: ## Set up and run the whole test suite (PostgreSQL when available)
	scripts/test

lint: ## ruff, mypy and the import boundaries
	$(VENV)/ruff check src tests bench
	$(VENV)/mypy
	$(VENV)/lint-imports --no-cache

format: ## Sort imports and fix what ruff can fix
	$(VENV)/ruff check --fix src tests bench

bench: ## The benchmark suite (SIZE=10000 DB=sqlite|postgresql)
	$(VENV)/python -m bench --size $${SIZE:-10000} --db $${DB:-sqlite}

.PHONY: help setup run test lint format bench
