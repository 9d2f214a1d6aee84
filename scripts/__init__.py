"""Command-line tools of the playbook (run with `python -m scripts.<name>`)."""
