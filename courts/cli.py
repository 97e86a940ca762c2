"""The `courts` console script: Django's management commands under friendlier names.

`courts load-reference` runs the `load_reference` command, `courts token create` runs `token create`,
and every built-in command (`courts migrate`, `courts shell`, ...) works as with manage.py.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
