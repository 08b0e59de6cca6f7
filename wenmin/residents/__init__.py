"""Residents' verified phones: one-time codes, sign-in, the resident's own pages."""
