# One-command set-up and build for a fresh Debian machine.
#   make book   - set up everything, build the HTML book and the PDF (PDF copied into the site)
#   make test   - set up everything, lint with ruff, run the whole test suite (which builds the book)
#   make data   - rebuild data/extracts from data/raw;  make fetch - refresh data/raw from the publishers
SHELL := /bin/bash
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BUILD  := _build
PORT   ?= 8000

# Debian packages: TeX for the PDF, poppler for PDF checks, Node/npm for the assets the book
# serves itself, Chromium for the browser tests.
DEB_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk \
                fonts-freefont-otf poppler-utils chromium python3-venv

.PHONY: book html pdf test test-fast lint setup deb venv vendor data fetch clean serve benchmark

book: html pdf

# make does not decide by modification times here: `--if-changed` compares the content of every
# source (bricsai/book/stamp.py) with the stamp of the last successful build, and skips the build
# when nothing changed. The execution cache and Sphinx are then guarded by content as well
# (bricsai/book/cacheguard.py), so a build that does run never serves a stale result.
html: setup
	$(PY) -m bricsai.book.build html --if-changed

# The PDF build also copies the PDF into the HTML site, where every page links to it.
pdf: setup html
	$(PY) -m bricsai.book.build pdf --if-changed

# Lints first, so a ruff finding fails the tests before the (long) book build starts.
test: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest

# Everything that needs no book build (unit, data and chapter-compute tests), on two workers;
# `make test` also runs the book tests and the end-to-end ("slow") ones.
test-fast: venv
	$(PY) -m pytest -m "not book and not slow" -n 2 -q

lint: venv
	$(VENV)/bin/ruff check src tests benchmarks

setup: deb venv vendor

# Installs only what is missing; as root with apt-get, otherwise says what to install.
deb:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing"; \
	    echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# MathJax is served from the book itself; axe-core is used by the accessibility tests.
# `npm ci` runs only when node_modules does not hold exactly what package-lock.json pins (npm
# records what it installed in node_modules/.package-lock.json), so that restoring the vendored
# copy needs no network.
vendor: $(BUILD)/vendor/mathjax/tex-chtml.js

NODE_MODULES_CURRENT := node -e 'const p = f => require(f).packages || {}, \
  a = p("./package-lock.json"), b = p("./node_modules/.package-lock.json"), \
  k = o => Object.keys(o).filter(n => n).sort().map(n => [n, o[n].version, o[n].integrity]); \
  process.exit(JSON.stringify(k(a)) === JSON.stringify(k(b)) ? 0 : 1)' 2>/dev/null

$(BUILD)/vendor/mathjax/tex-chtml.js: package-lock.json
	$(NODE_MODULES_CURRENT) || npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(BUILD)/vendor/mathjax && mkdir -p $(BUILD)/vendor/mathjax/output/chtml/fonts
	cp node_modules/mathjax/es5/tex-chtml.js $(BUILD)/vendor/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 $(BUILD)/vendor/mathjax/output/chtml/fonts/
	touch $@

# Rebuilds the tidy extracts in data/extracts from the raw files in data/raw, after checking
# each against data/raw/manifest.yml (a mismatch stops it and nothing is written). ACCEPT=1
# records the checksum of a raw file that changed because a new release is intended.
data: venv
	$(PY) -m bricsai data $(if $(ACCEPT),--accept-new-raw)

# Downloads the raw files again from their publishers (network), checks them, rebuilds the
# extracts, updates data/raw/manifest.yml and prints what changed. Never part of book or test.
# ONLY="path ..." limits it to some files of the manifest.
fetch: venv
	$(PY) -m bricsai fetch $(if $(ONLY),--only $(ONLY))

benchmark: setup
	$(PY) benchmarks/run.py

serve:
	@test -f $(BUILD)/html/index.html || { echo "No book yet: run 'make book' first."; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory $(BUILD)/html

# Keeps the vendored front-end assets (_build/vendor): they come from package-lock.json, not from
# the sources, and restoring them would need node_modules or the network.
clean:
	@test ! -d $(BUILD) || find $(BUILD) -mindepth 1 -maxdepth 1 ! -name vendor -exec rm -rf {} +
