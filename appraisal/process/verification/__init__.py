"""Verification by Ban Xây dựng Đảng."""
