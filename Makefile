# One task runner. A newcomer needs two commands: `make run` and `make test`.
UV := UV_PYTHON_DOWNLOADS=never python3 -m uv
PORT ?= 8501
# `make run` is for one person: it listens on this machine only. ADDRESS=0.0.0.0 opens it to
# the network, without the proxy's refusals and headers; a team uses `make serve-replicas`.
ADDRESS ?= 127.0.0.1

.PHONY: setup run serve-replicas test test-fast lint format bench export validate

setup:
	@scripts/setup.sh

run: setup
	$(UV) run python -m geo.serve run app.py --server.port $(PORT) --server.address $(ADDRESS)

# N Streamlit processes (default 2) behind HAProxy on PROXY_PORT (default 8500): deploy/haproxy.cfg.
serve-replicas: setup
	PORT=$(or $(PROXY_PORT),8500) scripts/serve_replicas.sh $(or $(N),2)

test: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run python -m geo validate
	$(UV) run pytest

# The inner loop: lint, validator and every test that starts no process and no browser, on
# every core (the slow tier stays serial: browsers and servers on two cores would race).
test-fast: setup
	$(UV) run ruff check .
	$(UV) run python -m geo validate
	$(UV) run pytest -m "not slow" -q -n auto

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
