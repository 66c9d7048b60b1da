from pathlib import Path

from django.conf import settings

from baiqau.core.states import render_states


def test_states_doc_matches_the_transition_tables():
    path = Path(settings.BASE_DIR) / "docs" / "states.md"
    assert path.read_text(encoding="utf-8") == render_states(), (
        "docs/states.md is stale: run `baiqau states`"
    )
