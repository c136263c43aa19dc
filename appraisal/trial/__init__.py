"""Trying a framework on made-up figures: a sheet, the quota, a ballot count."""
