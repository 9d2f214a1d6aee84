# Two entry points (see README): `make serve` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# Debian packages: the PDFs' fonts (Liberation Sans for Latin text, BIZ UDGothic for Japanese, both
# with a bold face) and Pango (WeasyPrint's text layout); chromium for browser tests, LibreOffice for
# office checks, poppler-utils (pdftotext, pdftoppm) to read and render PDFs.
APT_BUILD := fonts-liberation2 fonts-morisawa-bizud-gothic libpango-1.0-0 libpangoft2-1.0-0
APT_TEST := chromium libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup serve build test check lock system-deps system-deps-build clean previews

# The lock pins every package with its hash; the project itself (`playbook`, src/) goes in editable,
# built by the locked setuptools, so `playbook ...` and the hooks always run the checked-out code.
$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

setup: $(BIN)/.installed system-deps-build

# Installs only what is missing, so repeated runs stay fast and need no root.
system-deps-build:
	@dpkg -s $(APT_BUILD) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_BUILD); }

system-deps: system-deps-build
	@dpkg -s $(APT_TEST) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_TEST); }

serve: setup
	$(BIN)/mkdocs serve --strict

# Builds into .site-staging/ and replaces site/ only after a clean strict build (src/playbook/cli/build.py).
build: setup
	$(BIN)/playbook build

test: setup system-deps
	$(BIN)/pytest

# Every download format and language rendered to PNG (LibreOffice for DOCX/XLSX, pdftoppm) in
# build/previews/ (git-ignored), to look at before calling a change to the downloads done.
previews: setup system-deps
	$(BIN)/python -m playbook.templates.previews --out build/previews

# Every problem at once (links, translations, data, config, formatting); see src/playbook/cli/check.py.
check: setup
	$(BIN)/playbook check

# Re-pins the whole tree with hashes after a change to pyproject.toml (pip's own resolver and report).
# Packages keep the versions the lock has now (constraints) unless UPGRADE=1 lets pip pick the newest.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet pip==25.3 && \
	  { [ -n "$(UPGRADE)" ] || sed -n 's/^\([A-Za-z0-9._-]*==[^ ]*\).*/\1/p' requirements.lock; } > .lockenv/constraints.txt && \
	  .lockenv/bin/pip install --quiet --dry-run --ignore-installed --report .lockenv/report.json \
	    -c .lockenv/constraints.txt . --group test && \
	  .lockenv/bin/python src/playbook/lockfile.py .lockenv/report.json > requirements.lock && rm -rf .lockenv

clean:
	rm -rf site .cache $(VENV)

# -- Versions (mike) ------------------------------------------------------------
# The local gh-pages branch holds every published edition; see README "Versions and releases".
# mike runs `mkdocs` from PATH, so the venv goes first.
MIKE := PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mike
.PHONY: serve-versions deploy-version

# All editions with the version selector, as published (from the local gh-pages branch).
serve-versions: setup
	$(MIKE) serve --dev-addr 127.0.0.1:8000

# Strict build of the working tree committed to gh-pages as VERSION (e.g. 1.2 or dev).
# ALIAS=latest moves that alias, makes the site root redirect to it and puts VERSION's 404.html
# at the root of gh-pages (hosts serve only that one for a missing path; it finds the edition
# and language in the URL, see overrides/404.html). Every deploy then rewrites gh-pages:editions.css,
# which shows older editions' banner from the first paint (src/playbook/editions.py).
# PUSH=--push publishes, in one push at the end.
deploy-version: setup
	@test -n "$(VERSION)" || { echo "usage: make deploy-version VERSION=X.Y [ALIAS=latest] [PUSH=--push]" >&2; exit 2; }
	$(MIKE) deploy --update-aliases $(VERSION) $(ALIAS)
	$(if $(ALIAS),$(MAKE) --no-print-directory root-404 VERSION=$(VERSION))
	$(if $(ALIAS),$(MIKE) set-default $(ALIAS))
	$(BIN)/playbook editions --branch $(GH_PAGES)
	$(if $(PUSH),git push origin $(GH_PAGES))

# Commit gh-pages:$(VERSION)/404.html as gh-pages:404.html (git plumbing: no checkout needed).
GH_PAGES ?= gh-pages
.PHONY: root-404
root-404:
	@test -n "$(VERSION)" || { echo "usage: make root-404 VERSION=X.Y" >&2; exit 2; }
	@blob=$$(git rev-parse --verify --quiet "$(GH_PAGES):$(VERSION)/404.html") || \
	  { echo "$(GH_PAGES) has no $(VERSION)/404.html (deploy $(VERSION) first)" >&2; exit 1; }; \
	index=$$(mktemp -u); trap 'rm -f "$$index"' EXIT; \
	GIT_INDEX_FILE=$$index git read-tree "$(GH_PAGES)" && \
	GIT_INDEX_FILE=$$index git update-index --add --cacheinfo "100644,$$blob,404.html" && \
	tree=$$(GIT_INDEX_FILE=$$index git write-tree) && \
	if [ "$$tree" != "$$(git rev-parse "$(GH_PAGES)^{tree}")" ]; then \
	  commit=$$(git commit-tree "$$tree" -p "$(GH_PAGES)" -m "Root 404.html from $(VERSION)") && \
	  git update-ref "refs/heads/$(GH_PAGES)" "$$commit" && echo "$(GH_PAGES): 404.html from $(VERSION)"; \
	fi
