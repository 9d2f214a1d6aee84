"""The downloadable templates (``data/worksheets/``), from data to files.

``model`` defines and validates a template's fields; ``view`` gives one language's view of it
(what the page preview and every download show, with the funnel math); ``downloads`` says which
files exist, where, and writes them (``writers/<format>.py``); ``cache`` keeps their bytes.
"""
