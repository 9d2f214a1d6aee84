"""``python -m playbook``: the same as the ``playbook`` command."""

import sys

from playbook.cli import main

sys.exit(main())
