# One task runner. A newcomer needs two commands: `make run` and `make test`.
UV := UV_PYTHON_DOWNLOADS=never python3 -m uv
PORT ?= 8501

.PHONY: setup run test lint format bench export validate

setup:
	@scripts/setup.sh

run: setup
	$(UV) run python -m geo.serve run app.py --server.port $(PORT)

test: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run python -m geo validate
	$(UV) run pytest

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: setup
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

validate: setup
	$(UV) run python -m geo validate

export: setup
	$(UV) run python -m geo export $(or $(OUT),pack)

bench: setup
	$(UV) run python scripts/bench.py
