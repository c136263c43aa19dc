"""What the benchmarks that drive a running server share: one HTTP request with a cookie jar,
waiting for the server, the database's address for it, and the percentile they report."""
import http.client
import time
from urllib.parse import quote

from django.conf import settings


def request(port: int, method: str, path: str, cookies: dict, body: str | None = None,
            headers: dict | None = None) -> tuple[int, str, float]:
    """(status, body, seconds) of one request to 127.0.0.1:`port`; the cookies set are kept in `cookies`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), **(headers or {})}
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
    finally:
        conn.close()
    return response.status, content.decode("utf-8", "replace"), elapsed


def wait_for(port: int, path: str, *, status: int | None = None, seconds: float = 30, running=None) -> bool:
    """Whether the server answers `path` (with `status`, if given) within `seconds`; no longer
    than `running()` (if given) says the server still runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (running is None or running()):
        try:
            answered, _, _ = request(port, "GET", path, {})
            if status is None or answered == status:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def database_url() -> str:
    """The address of the database this process uses, for the server it starts."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def percentile_ms(values: list[float], percentile: int) -> int:
    """The `percentile`th of `values` (seconds), in whole milliseconds; 0 for none."""
    if not values:
        return 0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * percentile / 100))] * 1000)
