"""Before a migration adds a check constraint: name the rows that break it, in Vietnamese.

Rows saved before a rule was enforced (an import that let a member be admitted in 2099) would
make `migrate` fail with a bare IntegrityError; this says which rows to correct first.
"""
from django.db.models import Q


def refuse_rows_breaking(apps, label: str, checks: list[tuple[Q, str]], show=str) -> None:
    """Raise, listing up to ten rows of model `label` outside each (condition, description)."""
    model = apps.get_model(label)
    problems = []
    for condition, description in checks:
        bad = list(model.objects.exclude(condition)[:10])
        if bad:
            rows = "; ".join(f"#{row.pk} {show(row)}" for row in bad)
            problems.append(f"{description}: {rows}")
    if problems:
        raise RuntimeError(
            "Chưa thể nâng cấp cơ sở dữ liệu: có bản ghi vi phạm quy tắc mới. Hãy sửa chúng "
            "(trang quản trị) rồi chạy lại `manage.py migrate`.\n- " + "\n- ".join(problems)
        )
