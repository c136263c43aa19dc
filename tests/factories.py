"""Factories for the models every layer's tests need."""
import datetime as dt

import factory
from django.contrib.auth import get_user_model

from core.models import RoleAssignment
from members import models as m
from orgs import models as o


class CodedFactory(factory.django.DjangoModelFactory):
    """A row found by its code when one with that code exists already."""

    class Meta:
        abstract = True
        django_get_or_create = ("code",)


class OrgFactory(CodedFactory):
    class Meta:
        model = o.PartyOrganization

    code = factory.Sequence(lambda n: f"TC{n:04d}")
    name = factory.Sequence(lambda n: f"Chi bộ thôn {n}")
    kind = o.OrgKind.ROOT_CELL
    established_on = dt.date(2000, 1, 1)


class BlockFactory(CodedFactory):
    class Meta:
        model = o.Block

    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Khối {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.Unit

    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Phòng {n}")
    block = factory.SubFactory(BlockFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Member

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Đảng {n}")
    gender = m.Gender.MALE
    card_number = factory.Sequence(lambda n: f"{n:08d}")
    admitted_on = dt.date(2010, 5, 19)
    official_on = dt.date(2011, 5, 19)
    # A member without a date of becoming official is dự bị (the database checks it).
    status = factory.LazyAttribute(lambda o: m.MemberStatus.OFFICIAL if o.official_on else m.MemberStatus.PROBATIONARY)
    cell = factory.SubFactory(OrgFactory)


class PositionGroupFactory(CodedFactory):
    class Meta:
        model = m.PositionGroup

    code = factory.Sequence(lambda n: f"NHOM{n}")
    name = "Trưởng các phòng, ban và tương đương"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("matkhau-thu-nghiem")


def user_with_role(role: str, *, organization=None, unit=None, username=None):
    """A user holding one role over the given scope."""
    user = UserFactory(**({"username": username} if username else {}))
    RoleAssignment.objects.create(user=user, role=role, organization=organization, unit=unit)
    return user
