"""Re-rating decided results."""
