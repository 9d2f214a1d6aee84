"""One module per download format; each turns a :class:`~playbook.templates.view.WorksheetView` into bytes."""
