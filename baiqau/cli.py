"""The `baiqau` console command: manage.py under a shorter name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baiqau.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["baiqau", *sys.argv[1:]])


if __name__ == "__main__":
    main()
