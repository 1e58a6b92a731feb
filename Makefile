# Two commands for a fresh Debian/Ubuntu machine: `make lecture` and `make test`.
# Both run `make setup` first, which installs what is missing and skips what is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra \
	texlive-fonts-recommended dvisvgm fonts-noto-cjk fonts-dejavu-extra chromium ffmpeg espeak-ng poppler-utils
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: setup system-packages lecture test test-fast bench clean

setup: system-packages $(STAMP)

system-packages:
	@bash .ci/install-system-packages $(APT_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,slides]"
	@touch $(STAMP)

lecture: setup
	$(BIN)/nll-lecture render --quality high --out out

test: setup
	$(BIN)/python -m pytest -n $(JOBS) tests

test-fast: setup
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow and not browser" tests

bench: setup
	$(BIN)/python bench/render_bench.py

clean:
	rm -rf media out .pytest_cache
