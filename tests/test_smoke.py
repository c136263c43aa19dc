import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_speaks_vietnamese(client):
    """The login page is served in Vietnamese."""
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert 'lang="vi"' in response.content.decode()


def test_subtree_paths(tree):
    """A subtree is read by its path prefix, including grandchildren and nothing else."""
    from orgs.models import PartyOrganization

    names = set(PartyOrganization.objects.subtree(tree["base"]).values_list("code", flat=True))
    assert names == {"DBCS1", "CB1", "CB2"}
