"""The Upstream & Downstream Marketing Playbook's own logic (pure: never imports mkdocs).

Where things live (``hooks/README.md`` has the same map with the MkDocs events):

* :mod:`playbook.data`: strict YAML documents, JSON Schema checks, the language list, the
  loaders' cache (``data/*.yml`` -> checked, immutable values).
* :mod:`playbook.ui`: the interface strings of ``data/ui.yml``.
* :mod:`playbook.markers`: ``<!-- ns:name arg -->`` page markers.
* :mod:`playbook.tables`: the comparison and example tables of ``data/tables/``.
* :mod:`playbook.templates`: the downloadable templates of ``data/worksheets/``: ``model``
  (fields defined and validated), ``view`` (one language, values formatted, funnel math),
  ``downloads`` (which files, where, written by whom), ``cache``, and ``writers`` (one module
  per format).
* :mod:`playbook.translations`: translation stamps and status.
* :mod:`playbook.search`: one search index per language.
* :mod:`playbook.partials`: the Jinja partials in ``overrides/partials/`` that pages and hooks render.
* :mod:`playbook.project`: the project folder (root, parts, a strict build in a subprocess).
* :mod:`playbook.cli`: the ``playbook`` command line.
"""
