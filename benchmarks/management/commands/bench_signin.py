"""Time the password check of one sign-in with each hasher, in the same run (a ratio, not an absolute)."""
import time

from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Đo thời gian kiểm tra mật khẩu khi đăng nhập với từng thuật toán băm (cùng một lần chạy)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=5, help="Số lần đo mỗi thuật toán (mặc định 5).")

    def _seconds(self, algorithm: str, rounds: int) -> float:
        encoded = make_password("mat-khau-do-thu-2026", hasher=get_hasher(algorithm))
        started = time.perf_counter()
        for _ in range(rounds):
            assert check_password("mat-khau-do-thu-2026", encoded, preferred=algorithm)
        return (time.perf_counter() - started) / rounds

    def handle(self, *args, rounds: int, **options):
        preferred = get_hasher("default").algorithm
        figures = {name: self._seconds(name, rounds) for name in ("argon2", "pbkdf2_sha256")}
        self.stdout.write(f"Thuật toán đang dùng: {preferred} (PASSWORD_HASHERS[0] = {settings.PASSWORD_HASHERS[0]})")
        self.stdout.write(
            f"hasher={preferred} argon2_seconds={figures['argon2']:.3f} "
            f"pbkdf2_seconds={figures['pbkdf2_sha256']:.3f} "
            f"ratio={figures['pbkdf2_sha256'] / figures['argon2']:.1f}"
        )
