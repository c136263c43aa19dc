"""Password rules with every message in Vietnamese.

Django's Vietnamese catalogue translates the other validators' messages but not the minimum
length error, which a user would otherwise read in English.
"""
from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule, explained in Vietnamese."""

    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."
