"""factory_boy factories. Every name is generated; phones are in a test-only range."""

from __future__ import annotations

import itertools
import random

import factory
from django.contrib.auth import get_user_model

from xinan.demo.services.people import make_name
from xinan.organisations.enums import OrgKind, Role, SchoolType
from xinan.organisations.models import Membership, Organisation

_rng = random.Random(7)
_phones = itertools.count(1)
_codes = itertools.count(1)
PASSWORD = "correct-horse-battery-9"


def next_phone() -> str:
    return f"1370{next(_phones):07d}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.NATION
    name = factory.Sequence(lambda n: f"测试组织{n}")
    code = factory.LazyFunction(lambda: f"{next(_codes):06d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    phone = factory.LazyFunction(next_phone)
    name = factory.LazyFunction(lambda: make_name(_rng))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF


def make_org(kind: OrgKind, parent: Organisation | None = None, **kwargs) -> Organisation:
    if kind == OrgKind.SCHOOL:
        kwargs.setdefault("school_type", SchoolType.UNIVERSITY)
    return OrganisationFactory(kind=kind, parent=parent, **kwargs)


def person(role: Role, organisation: Organisation, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
