"""`/suc-khoe/`: a load balancer's question, answered without sign-in: the database and the workers."""
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from core.models import JobWorker

pytestmark = pytest.mark.django_db


def _worker(worker_id: str, beat_ago: timedelta) -> JobWorker:
    now = timezone.now()
    return JobWorker.objects.create(worker_id=worker_id, pid=1, started_at=now - timedelta(hours=1), beat_at=now - beat_ago)


def test_a_live_worker_and_the_database_answer_200_without_sign_in(client):
    _worker("a", timedelta(seconds=3))
    _worker("b", timedelta(seconds=4))
    _worker("gone", timedelta(minutes=5))

    response = client.get("/suc-khoe/")

    body = response.json()
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert (body["ok"], body["database"], body["workers"], body["jobs_queued"]) == (True, True, 2, 0)
    assert "no-cache" in response["Cache-Control"]


def test_no_live_worker_answers_503_naming_it(client):
    _worker("gone", timedelta(minutes=5))

    response = client.get("/suc-khoe/")

    assert response.status_code == 503
    assert response.json()["workers"] == 0 and "db_worker" in response.json()["message"]


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("core.health.JobWorker.objects.filter", refuse)
    response = client.get("/suc-khoe/")
    assert response.status_code == 503 and response.json()["database"] is False
