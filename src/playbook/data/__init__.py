"""Reading the project's data files: one module per step.

``documents`` (parse YAML, :class:`~playbook.data.documents.DataError` with file, line and
field), ``schemas`` (``schemas/*.schema.json`` and the shared cross-field checks), ``languages``
(``data/languages.yml``), ``cache`` (results memoised on the input files' bytes).
"""
