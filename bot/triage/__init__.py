"""Triage: rules first, then the spaCy intent model, then the flags."""
