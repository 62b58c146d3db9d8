"""Mentions for the benchmarks, made from the team's own data and nothing else.

The texts come from ``intents/dev.jsonl`` and ``bot/samples/demo.jsonl`` (never from
shared/eval-data). Each copy is varied the way real traffic varies: another platform and
kind, another author (first names and surnames recombined from the same files), another
moment in a week of office and closed hours, and small changes to the text itself (a
leading @handle, a hashtag, an emoji, "pls", lower case...), so that a 10,000-mention
run is not the same 786 strings over and over: a cache keyed on whole texts would
otherwise flatter the figures.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import Author, Kind, Mention, Platform

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "intents" / "dev.jsonl", ROOT / "bot" / "samples" / "demo.jsonl")
LONDON = ZoneInfo("Europe/London")
#: A fortnight that crosses the clocks going back (26 October 2025): BST and GMT both occur.
WEEK_START = datetime(2025, 10, 20, tzinfo=LONDON)

KINDS = {
    Platform.TWITTER: (Kind.MENTION, Kind.MENTION, Kind.REPLY, Kind.DM),
    Platform.FACEBOOK: (Kind.COMMENT, Kind.COMMENT, Kind.REPLY, Kind.MENTION, Kind.DM),
    Platform.TELEGRAM: (Kind.DM, Kind.DM, Kind.MENTION, Kind.REPLY),
    Platform.FLICKR: (Kind.COMMENT,),
    Platform.YOUTUBE: (Kind.COMMENT,),
}
#: Roughly how the inbox splits between platforms.
PLATFORM_WEIGHTS = {
    Platform.TWITTER: 45,
    Platform.FACEBOOK: 35,
    Platform.TELEGRAM: 14,
    Platform.FLICKR: 2,
    Platform.YOUTUBE: 4,
}

PREFIXES = ("", "", "", "@westkentha ", "@WestKentHA ", "Hi, ", "Morning. ", "hello?? ")
SUFFIXES = ("", "", "", " pls", " thanks", " #westkent", " #help", " 🙏", " !!", " x", " ta")


@dataclass(frozen=True)
class Seed:
    """One line of the team's data: what is varied to make many mentions."""

    text: str
    platform: Platform
    kind: Kind
    author: Author


def load_seeds() -> list[Seed]:
    seeds: list[Seed] = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            seeds.append(
                Seed(
                    row["text"],
                    Platform(row["platform"]),
                    Kind(row["kind"]),
                    Author(row["author"]["handle"], row["author"].get("name") or ""),
                )
            )
    return seeds


def author_pool(seeds: list[Seed], size: int, rng: random.Random) -> list[Author]:
    """``size`` authors: first names and surnames of the data files, recombined."""
    firsts = sorted({s.author.name.split()[0] for s in seeds if s.author.name.split()})
    lasts = sorted({s.author.name.split()[-1] for s in seeds if len(s.author.name.split()) > 1})
    pool = [s.author for s in seeds]
    while len(pool) < size:
        first, last = rng.choice(firsts), rng.choice(lasts)
        style = rng.randrange(4)
        name = f"{first} {last}" if style else first
        handle = rng.choice(
            (f"{first}{last}{rng.randrange(100)}", f"{first.lower()}_{last.lower()}",
             f"{first[0].lower()}{last.lower()}{rng.randrange(1000)}")
        )
        pool.append(Author(handle, name))
    return pool


def vary_text(text: str, rng: random.Random) -> str:
    if rng.random() < 0.15:
        text = text.lower()
    return rng.choice(PREFIXES) + text + rng.choice(SUFFIXES)


def moment(rng: random.Random) -> datetime:
    """A moment in a fortnight, office hours twice as likely as the evening and weekend."""
    day = rng.randrange(14)
    hour = rng.choice((*range(9, 17), *range(9, 17), *range(0, 24)))
    # Arithmetic on an aware datetime is wall-clock time; the offset follows the clocks.
    return WEEK_START + timedelta(
        days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
    )


def varied_mentions(count: int, seed: int = 7, authors: int = 3000) -> list[Mention]:
    """``count`` mentions cycling through the team's texts, each copy varied."""
    rng = random.Random(seed)
    seeds = load_seeds()
    people = author_pool(seeds, authors, rng)
    platforms = list(PLATFORM_WEIGHTS)
    weights = list(PLATFORM_WEIGHTS.values())
    out: list[Mention] = []
    for number in range(count):
        base = seeds[number % len(seeds)]
        first_lap = number < len(seeds)
        if first_lap:  # every text once as it was written
            platform, kind, author, text = base.platform, base.kind, base.author, base.text
        else:
            platform = rng.choices(platforms, weights)[0]
            kind = rng.choice(KINDS[platform])
            author = rng.choice(people)
            text = vary_text(base.text, rng)
        out.append(
            Mention(
                id=f"bench-{number:06d}",
                platform=platform,
                kind=kind,
                author=author,
                text=text,
                created_at=moment(rng),
                account="westkentha",
            )
        )
    return out


def as_json(mention: Mention) -> dict[str, object]:
    """The JSON Lines form ``socialbot triage`` reads."""
    return {
        "id": mention.id,
        "platform": mention.platform.value,
        "kind": mention.kind.value,
        "author": {"handle": mention.author.handle, "name": mention.author.name},
        "text": mention.text,
        "created_at": mention.created_at.isoformat(),
        "account": mention.account,
    }


def jsonl(mentions: list[Mention]) -> Iterator[str]:
    for mention in mentions:
        yield json.dumps(as_json(mention), ensure_ascii=False) + "\n"
