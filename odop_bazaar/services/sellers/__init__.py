"""Sellers: the onboarding application, its documents and staff review."""
