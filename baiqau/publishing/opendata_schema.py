"""The 360Giving Data Standard's schema, checked offline: for the export and the verifier.

The schemas in ``schemas/360giving/`` are unmodified copies of the 360Giving Data
Standard 1.4.3, published by 360Giving under the Creative Commons Attribution 4.0
International licence (see the README beside them). No Django here: the verifier
imports this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_DIR", "grants_schema_errors"]

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "360giving"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"


@cache
def _validator() -> Any:
    # Imported here: the verifier's other checks need nothing beyond the standard library.
    import referencing
    import referencing.jsonschema
    from jsonschema import Draft202012Validator

    package = json.loads((SCHEMA_DIR / PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    grant = json.loads((SCHEMA_DIR / GRANT_SCHEMA).read_text(encoding="utf-8"))
    # The files name their dialect by a URL referencing does not know: say it outright.
    grant_resource = referencing.jsonschema.DRAFT202012.create_resource(grant)
    # The package schema refers to the grant schema by its 1.4.2 URL; the grant schema's
    # own $id says 1.4.3. Both resolve to the local copy, so validation needs no network.
    urls = {grant["$id"], package["properties"]["grants"]["items"]["$ref"]}
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (url, grant_resource) for url in sorted(urls)
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def grants_schema_errors(package: Mapping[str, Any]) -> list[str]:
    """What keeps the package from being valid 360Giving data; empty when it is valid."""
    errors = sorted(_validator().iter_errors(package), key=lambda e: list(map(str, e.path)))
    return [f"{e.json_path}: {e.message}" for e in errors]
