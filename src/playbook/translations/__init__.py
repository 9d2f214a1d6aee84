"""Translations of pages and data strings: stamps and status (``status``)."""
