"""How long a post is as X counts it (twitter-text v3 "weighted length").

X normalises the text to NFC, counts every URL as 23 (t.co shortens it), counts an emoji
sequence (a flag, a skin tone, a family joined with ZWJ...) as 2, and weighs every other code
point 1 if it falls in a few Latin/punctuation ranges and 2 otherwise (CJK, most symbols).

Where we cannot be sure what X will do, we count the larger of the two possibilities: a
draft that is a character shorter than it could be is harmless, one that X rejects is not.
"""

from __future__ import annotations

import re
import unicodedata

TWEET_LIMIT = 280
URL_LENGTH = 23
EMOJI_LENGTH = 2

# (first, last) code points that weigh 1; everything else weighs 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))

# Top-level domains X links without a protocol ("westkent.org"). Any other bare "a.b" is
# counted as the longer of its own length and a link's.
_KNOWN_TLDS = frozenset(
    {
        "com",
        "org",
        "net",
        "edu",
        "gov",
        "mil",
        "int",
        "info",
        "biz",
        "name",
        "pro",
        "app",
        "dev",
        "page",
        "blog",
        "news",
        "shop",
        "store",
        "online",
        "site",
        "tech",
        "xyz",
        "cloud",
        "live",
        "life",
        "world",
        "today",
        "media",
        "digital",
        "agency",
        "email",
        "help",
        "care",
        "community",
        "london",
        "wales",
        "cymru",
        "scot",
        "uk",
        "ie",
        "eu",
        "us",
        "ca",
        "au",
        "nz",
        "de",
        "fr",
        "es",
        "it",
        "nl",
        "be",
        "ch",
        "at",
        "se",
        "no",
        "dk",
        "fi",
        "pl",
        "pt",
        "io",
        "co",
        "me",
        "tv",
        "ly",
        "gl",
        "to",
        "fm",
        "am",
        "in",
        "jp",
        "cn",
        "kr",
        "ru",
        "br",
        "mx",
        "za",
        "sg",
        "hk",
    }
)

_TRAILING_PUNCTUATION = ".,;:!?'\")]}>…"

_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_URL_WITH_PROTOCOL = re.compile(
    rf"https?://(?P<host>(?:{_HOST_LABEL}\.)+[a-z]{{2,63}}|\d{{1,3}}(?:\.\d{{1,3}}){{3}})"
    r"(?::\d{1,5})?(?:[/?#]\S*)?",
    re.IGNORECASE,
)
# A bare domain is not a link when it is part of an email address or a longer word.
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@.\-/:])(?:{_HOST_LABEL}\.)+(?P<tld>[a-z]{{2,63}})(?![\w@-])(?:[/?#]\S*)?",
    re.IGNORECASE,
)

_ZWJ = 0x200D
_VARIATION_SELECTOR_16 = 0xFE0F
_KEYCAP = 0x20E3
_TAG_FIRST, _TAG_CANCEL = 0xE0020, 0xE007F


def weighted_length(text: str) -> int:
    """The length X would give ``text``; a post is accepted when this is at most 280."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    links = _link_spans(text)
    link_starts = sorted(links)
    while position < len(text):
        link = links.get(position)
        if link is not None:
            end, weight = link
            total += weight
            position = end
            continue
        # Fast path: a run of characters that each weigh 1 and cannot start an emoji.
        limit = next((s for s in link_starts if s > position), len(text))
        run_end = _light_run_end(text, position, limit)
        if run_end > position:
            total += run_end - position
            position = run_end
            continue
        emoji_end = _emoji_end(text, position)
        if emoji_end > position:
            total += EMOJI_LENGTH
            position = emoji_end
            continue
        total += _weight(ord(text[position]))
        position += 1
    return total


# © and ® are emoji to X (weight 2), so they end a light run.
_LIGHT_RUN = re.compile("[\x00-\xa8\xaa-\xad\xaf-\u10ff]+")


def _light_run_end(text: str, start: int, limit: int) -> int:
    """End of the run from ``start`` of code points below U+1100 (weight 1), stopping at
    © and ® and before a digit, '#' or '*' that a keycap sequence makes an emoji."""
    match = _LIGHT_RUN.match(text, start, limit)
    if match is None:
        return start
    end = match.end()
    keycap_follows = end < len(text) and ord(text[end]) in (_VARIATION_SELECTOR_16, _KEYCAP)
    if keycap_follows and text[end - 1] in "0123456789#*":
        end -= 1
    return end


def fits_in_a_tweet(text: str) -> bool:
    return 0 < weighted_length(text) <= TWEET_LIMIT


def _weight(code_point: int) -> int:
    return 1 if any(lo <= code_point <= hi for lo, hi in _LIGHT_RANGES) else 2


def _link_spans(text: str) -> dict[int, tuple[int, int]]:
    """Start of each link -> (end, weight)."""
    spans: dict[int, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for match in _URL_WITH_PROTOCOL.finditer(text):
        start, end = match.start(), _trim(text, match.start(), match.end())
        spans[start] = (end, URL_LENGTH)
        taken.append((start, end))
    for match in _BARE_DOMAIN.finditer(text):
        start, end = match.start(), _trim(text, match.start(), match.end())
        if any(lo <= start < hi for lo, hi in taken):
            continue
        own = end - start
        sure = match.group("tld").lower() in _KNOWN_TLDS
        spans[start] = (end, URL_LENGTH if sure else max(own, URL_LENGTH))
    return spans


def _trim(text: str, start: int, end: int) -> int:
    # "…see https://example.org/help." – the full stop is not part of the link.
    while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
        end -= 1
    return end


def _emoji_end(text: str, start: int) -> int:
    """End of the emoji sequence starting at ``start``, or ``start`` if there is none."""
    first = ord(text[start])
    if _is_regional_indicator(first):
        if start + 1 < len(text) and _is_regional_indicator(ord(text[start + 1])):
            return start + 2
        return start + 1
    if chr(first) in "0123456789#*":
        end = start + 1
        if end < len(text) and ord(text[end]) == _VARIATION_SELECTOR_16:
            end += 1
        if end < len(text) and ord(text[end]) == _KEYCAP:
            return end + 1
        return start
    if not _is_pictographic(first):
        return start
    end = _element_end(text, start + 1)
    while end + 1 < len(text) and ord(text[end]) == _ZWJ and _is_pictographic(ord(text[end + 1])):
        end = _element_end(text, end + 2)
    return end


def _element_end(text: str, position: int) -> int:
    """Skip what may follow a pictograph: VS16, a skin tone, tag characters (🏴 of England)."""
    while position < len(text):
        code_point = ord(text[position])
        if (
            code_point == _VARIATION_SELECTOR_16
            or 0x1F3FB <= code_point <= 0x1F3FF
            or _TAG_FIRST <= code_point <= _TAG_CANCEL
        ):
            position += 1
        else:
            break
    return position


def _is_regional_indicator(code_point: int) -> bool:
    return 0x1F1E6 <= code_point <= 0x1F1FF


# Extended_Pictographic, coarsely: the blocks emoji live in, plus the older symbols that
# have an emoji presentation. Counting one of these as 2 is never an undercount.
_PICTOGRAPHIC_RANGES = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x21AA),
    (0x231A, 0x23FF),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25FE),
    (0x2600, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0x1F000, 0x1F1E5),
    (0x1F200, 0x1F3FA),
    (0x1F400, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
)


def _is_pictographic(code_point: int) -> bool:
    return any(lo <= code_point <= hi for lo, hi in _PICTOGRAPHIC_RANGES)
