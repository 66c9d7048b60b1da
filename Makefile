# Baiqau: `make run` for the demo, `make test` for the checks and the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export DEBUG ?= 1

.PHONY: run test install venv messages lint types migrations-check messages-check check-deploy pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

messages: install
	$(BIN)/python -m baiqau.core.compile_messages

run: install messages
	$(BIN)/baiqau migrate --noinput
	$(BIN)/baiqau demo
	@echo ""
	@echo "  Baiqau is running at http://127.0.0.1:$(PORT)/"
	@echo "  Results of the seed competition: http://127.0.0.1:$(PORT)/kk/calls/almaty-social-projects/results/"
	@echo ""
	# The local demo lets staff in without a second factor; production requires it.
	STAFF_REQUIRE_MFA=0 $(BIN)/baiqau runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy baiqau

migrations-check: install
	$(BIN)/baiqau makemigrations --check --dry-run

messages-check:
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext"; exit 1; }
	@for po in $$(find baiqau/locale baiqau/locale_vendor -name '*.po'); do \
		echo "msgfmt --check $$po"; msgfmt --check --statistics -o /dev/null $$po || exit 1; \
	done

check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-but-long-enough-0123456789abcdef \
		ALLOWED_HOSTS=baiqau.example $(BIN)/baiqau check --deploy --fail-level WARNING

pytest: install messages
	DEBUG=0 $(BIN)/python -m pytest

test: lint types migrations-check messages-check check-deploy pytest

clean:
	rm -rf $(VENV) data/static .pytest_cache .mypy_cache .ruff_cache
