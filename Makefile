# One-command set-up and build for a fresh Debian machine.
#   make book   - set up everything, build the HTML book and the PDF (PDF copied into the site)
#   make test   - set up everything, run the whole test suite (which builds the book)
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

.PHONY: book html pdf test setup deb venv vendor data clean serve benchmark

# Everything a build reads. When none of it changed since the last successful build, make
# does not start Sphinx at all; the execution cache and the Sphinx environment handle the
# finer-grained cases (one notebook edited, package or data changed).
SOURCES := _config.yml _toc.yml $(shell find book notebooks src data -type f \
             -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

book: html pdf

html: setup $(BUILD)/html/.built

pdf: setup $(BUILD)/latex/.built

$(BUILD)/html/.built: $(SOURCES)
	$(PY) -m bricsai.build html
	touch $@

# The PDF build also copies the PDF into the HTML site, where every page links to it.
$(BUILD)/latex/.built: $(SOURCES) $(BUILD)/html/.built
	$(PY) -m bricsai.build pdf
	touch $@

test: setup
	$(PY) -m pytest

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
vendor: $(BUILD)/vendor/mathjax/tex-chtml.js

$(BUILD)/vendor/mathjax/tex-chtml.js: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(BUILD)/vendor/mathjax && mkdir -p $(BUILD)/vendor/mathjax/output/chtml/fonts
	cp node_modules/mathjax/es5/tex-chtml.js $(BUILD)/vendor/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 $(BUILD)/vendor/mathjax/output/chtml/fonts/
	touch $@

# Rebuilds the tidy extracts in data/ from the raw snapshots in ../shared/data.
data: venv
	$(PY) -m bricsai data

benchmark: setup
	$(PY) benchmarks/run.py

serve:
	@test -f $(BUILD)/html/index.html || { echo "No book yet: run 'make book' first."; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory $(BUILD)/html

clean:
	rm -rf $(BUILD)
