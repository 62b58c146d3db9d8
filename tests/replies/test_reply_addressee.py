"""Who a reply greets: a plain first name or username, nothing that could be personal data."""

from __future__ import annotations

import pytest

from bot.domain import Author
from bot.reply.addressee import first_name, safe_handle


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sam Jones", "Sam"),
        ("Priya", "Priya"),
        ("Mary-Jane Watson", "Mary-Jane"),
        ("Seán O'Neill", "Seán"),
        ("Zoë 🌻", "Zoë"),
        ("", ""),
        ("   ", ""),
        ("sam jones", ""),  # not written as a name
        ("Mrs Smith", ""),  # "Hi Mrs," would be wrong
        ("Dr. Patel", ""),
        ("07700 900123", ""),
        ("🌻Kent Mum", ""),
        ("Bartholomewster", "Bartholomewster"),
        ("Bartholomewsters", ""),  # longer than a reply on X has room for
        ("J.", "J"),
    ],
)
def test_first_name(name: str, expected: str) -> None:
    assert first_name(Author(handle="x", name=name)) == expected


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("sam_jones", "@sam_jones"),
        ("@sam_jones", "@sam_jones"),
        ("100004567890123", ""),  # a Facebook id
        ("sam07700900123", ""),  # a phone number inside a username
        ("sam2024", "@sam2024"),
        ("", ""),
        ("sam jones", ""),
    ],
)
def test_safe_handle(handle: str, expected: str) -> None:
    assert safe_handle(Author(handle=handle)) == expected
