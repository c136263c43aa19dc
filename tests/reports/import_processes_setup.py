"""Run by the several-processes test in a process of its own: a commune, a staff account signed in.

    DJANGO_SETTINGS_MODULE=tests.reports.serve_settings python -m tests.reports.import_processes_setup

Prints the staff account's session key. The database must be migrated.
"""
import datetime as dt

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from core.models import Role, RoleAssignment
    from orgs.models import OrgKind, PartyOrganization

    root = PartyOrganization.objects.create(code="BL-XA", name="Đảng bộ xã Bình Lư", kind=OrgKind.ROOT,
                                            established_on=dt.date(2000, 1, 1))
    PartyOrganization.objects.create(code="BL-THON1", name="Chi bộ thôn Nà Bó", kind=OrgKind.ROOT_CELL, parent=root,
                                     established_on=dt.date(2000, 1, 1))
    user = get_user_model().objects.create_user(username="bxd-nhieu-tien-trinh", password="khong-dung-den-2025")
    RoleAssignment.objects.create(user=user, role=Role.STAFF)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    print(session.session_key)


if __name__ == "__main__":
    main()
