"""Workflows that span models. They take plain values, commit once and raise domain errors."""
