# Both targets set themselves up from a fresh clone: system packages (as root,
# via apt-get), a virtual environment in .venv, and this package installed in it.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test setup system-deps clean

demo: $(STAMP)
	$(VENV)/bin/autograder demo

test: $(STAMP)
	$(VENV)/bin/ruff check autograder tests benchmarks solutions exercises
	$(VENV)/bin/mypy
	$(PY) -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,notebooks]'
	touch $(STAMP)

clean:
	rm -rf $(VENV)
