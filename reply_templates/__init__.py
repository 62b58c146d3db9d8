"""Data package: one Jinja2 reply template per intent (platform variants beside it)."""
