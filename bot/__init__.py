"""socialbot: a reply assistant for a housing association's social-media inbox."""

__version__ = "0.1.0"
