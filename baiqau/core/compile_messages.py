"""Compile the .po catalogues to .mo with Babel, for machines without GNU gettext.

`make run` uses this so a newcomer needs nothing but Python; `make test` still runs
`msgfmt --check` on every catalogue where gettext is installed (CI installs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIRS = (PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_vendor")


def compile_all(locale_dirs: tuple[Path, ...] = LOCALE_DIRS) -> list[Path]:
    written = []
    po_paths = sorted(p for d in locale_dirs for p in d.glob("*/LC_MESSAGES/*.po"))
    for po_path in po_paths:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def main() -> int:
    written = compile_all()
    print(f"Compiled {len(written)} catalogues.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
