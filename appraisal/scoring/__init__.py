"""The one gate from what people type to the stored outcome: load, check, decide, store."""
