"""The demo's people and organisations, made once and found again on every later load."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from baiqau.domain.identifiers import make_bin
from baiqau.organisations.models import Organisation
from baiqau.organisations.services import organisation_register

from . import data

User = get_user_model()


def demo_user(local: str, full_name: str, language: str = "kk") -> Any:
    email = f"{local}@{data.DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=full_name, preferred_language=language
        )
    return user


def demo_organisation(owner: Any, org: data.Org) -> Organisation:
    existing = Organisation.objects.filter(bin=make_bin(org.bin11)).first()
    if existing is not None:
        return existing
    return organisation_register(
        actor=owner, bin=make_bin(org.bin11), org_type=org.org_type, name=org.name, city=org.city
    )
