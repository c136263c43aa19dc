"""The HTXSNV quota of each peer group."""
