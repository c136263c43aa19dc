"""The results import's preview → confirm served by three gunicorn processes (production settings).

With a new connection per request, the preview and its confirmation land on any of the three
processes: the previewed file must be where every process finds it (the media store), not in one
process's memory. Before, 10 confirmations in 12 failed with "Tệp đã xem trước không còn lưu tạm".
"""
import http.client
import io
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from reports.results_import import RESULT_COLUMNS

pytestmark = pytest.mark.slow  # a migrate and three web processes of their own
ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM = re.compile(r'name="token" value="([^"]+)"')
ROUNDS = 12


def _workbook(name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in RESULT_COLUMNS])
    values = {"year": 2022, "subject": "Đảng viên", "org_code": "BL-THON1", "name": name, "card": f"D-{name[-2:]}",
              "level": "HTTNV"}
    sheet.append([values.get(c.key) for c in RESULT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One user's cookies; every request on a new connection (as behind a load balancer)."""

    def __init__(self, port: int, session_key: str):
        self.port, self.cookies = port, {"sessionid": session_key}

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, str, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close"}
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, dict(response.getheaders())


def _multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----ranh-gioi-kiem-diem"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
        + content + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_every_preview_is_confirmed_whichever_of_three_processes_answers(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.reports.serve_settings", "SECRET_KEY": "nhieu-tien-trinh-" * 4,
        "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(tmp_path / "media"), "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "ERROR",
    }
    env.pop("CACHE_URL", None)  # production's default: a cache in each process's memory
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True,
                   timeout=300)
    session_key = subprocess.run([sys.executable, "-m", "tests.reports.import_processes_setup"], cwd=ROOT, env=env,
                                 check=True, capture_output=True, text=True, timeout=120).stdout.split()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "3", "--log-level", "error"], cwd=ROOT, env=env,
    )
    browser = Browser(port, session_key)
    try:
        for _ in range(150):
            try:
                status, page, _headers = browser.request("GET", "/bao-cao/nhap-ket-qua/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, page[:500]
        confirmed = []
        for number in range(ROUNDS):
            _status, page, _headers = browser.request("GET", "/bao-cao/nhap-ket-qua/")
            csrf = TOKEN.search(page).group(1)
            body, kind = _multipart({"csrfmiddlewaretoken": csrf, "kind": "subjects"}, f"ket-qua-{number:02d}.xlsx",
                                    _workbook(f"Lò Văn {number:02d}"))
            status, preview, _headers = browser.request("POST", "/bao-cao/nhap-ket-qua/", body, kind)
            assert status == 200 and CONFIRM.search(preview), preview[:2000]
            form = (f"csrfmiddlewaretoken={TOKEN.search(preview).group(1)}&kind=subjects"
                    f"&token={CONFIRM.search(preview).group(1)}&file_name=ket-qua-{number:02d}.xlsx")
            status, _text, headers = browser.request("POST", "/bao-cao/nhap-ket-qua/xac-nhan/", form.encode(),
                                                     "application/x-www-form-urlencoded")
            assert status == 302, _text[:500]
            _status, after, _headers = browser.request("GET", headers["Location"])
            confirmed.append("Đã nhập «" in after and "không còn lưu tạm" not in after)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert confirmed == [True] * ROUNDS
    db = sqlite3.connect(database)
    assert db.execute("SELECT COUNT(*) FROM reports_importbatch").fetchone()[0] == ROUNDS
    assert db.execute("SELECT COUNT(*) FROM reports_importedresult").fetchone()[0] == ROUNDS
