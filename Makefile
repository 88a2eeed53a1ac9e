# The two commands of the README: `make demo` and `make test`. Both are safe to run again and
# quiet when everything is in place already.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_STATE := .state/demo

.PHONY: demo test lint setup setup-test portal clean

$(PY):
	@$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'apt-get install -y python3-venv'" >&2; exit 1; }

# Reinstall when the project's dependencies change.
$(STAMP): pyproject.toml | $(PY)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)
	@scripts/ensure-chromium.sh $(PY)
	@scripts/ensure-fonts.sh

setup-test: setup
	@scripts/ensure-dovecot.sh
	@scripts/ensure-postgres.sh
	@scripts/ensure-ffmpeg.sh $(PY)

# The main job on the demo portfolio, against the bundled mock portal (started and stopped here).
demo: setup
	@scripts/demo.sh

# pytest's exit 5 ("no tests collected") is a failure here, not a pass.
# The suite mostly waits (portal, mail, browser): three workers (pytest-xdist) share the 2 cores well.
# --allow-mutations: the portal QA suite's tests that create records or move money run too; here they
# only ever meet the bundled mock portal, which every test resets.
TEST_WORKERS ?= 3
test: setup-test lint
	@$(PY) -m pytest -n $(TEST_WORKERS) --allow-mutations $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi; exit $$status

# Lint and format (ruff) on the whole tree; types (mypy, strict on bot/core) and the layers
# (tests/test_architecture.py) are checked by the test suite itself.
lint: $(STAMP)
	@$(VENV)/bin/ruff check --quiet . && $(VENV)/bin/ruff format --check --quiet . || \
	{ echo "ruff: fix with '$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .'" >&2; exit 1; }

# The bundled portal on its default ports, in the foreground (Ctrl-C stops it).
portal: setup
	@$(PY) -m mock_portal --state $(DEMO_STATE)

clean:
	rm -rf $(VENV) .state evidence .pytest_cache test-results
