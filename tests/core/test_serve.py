"""`scripts/serve` on PostgreSQL: gunicorn, two background workers, WhiteNoise, the health page; stopped cleanly."""
import http.client
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from core.models import JobWorker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _get(port: int, path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


def test_serve_runs_web_and_workers_says_so_on_the_health_page_and_stops_them(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("scripts/serve runs on PostgreSQL only")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = connection.settings_dict
    env = {
        **os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SECRET_KEY": "phuc-vu-thu-" * 5, "SECURE_SSL_REDIRECT": "False", "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"), "MEDIA_ROOT": str(tmp_path / "media"), "PORT": str(port),
        "WEB_CONCURRENCY": "2", "JOB_WORKERS": "2", "SKIP_SETUP": "1", "ACCESS_LOG": "/dev/null",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    serve = subprocess.Popen([str(ROOT / "scripts" / "serve")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        health = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and serve.poll() is None:
            try:
                status, body, _headers = _get(port, "/suc-khoe/")
                health = (status, json.loads(body))
                if status == 200 and health[1]["workers"] == 2:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert health and health[0] == 200 and health[1]["workers"] == 2 and health[1]["database"], health
        status, page, _headers = _get(port, "/dang-nhap/")
        assert status == 200 and "Đăng nhập".encode() in page
        css = next(name for name in (tmp_path / "static").rglob("*.css") if "." in name.stem)  # a hashed copy
        status, _body, headers = _get(port, "/static/" + str(css.relative_to(tmp_path / "static")))
        assert status == 200 and "max-age" in headers.get("Cache-Control", "")  # WhiteNoise, cached for long
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        output = serve.communicate(timeout=120)[0]
    assert serve.returncode == 0, output
    assert not JobWorker.objects.exists()  # each worker said goodbye
    with pytest.raises(OSError):
        _get(port, "/suc-khoe/")
