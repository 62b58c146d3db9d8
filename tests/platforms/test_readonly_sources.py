"""Flickr and YouTube: read-only comment sources (policy §3.1), against fakes over httpx."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fakes.flickr_api import FakeFlickrApi
from fakes.sleep import RecordedSleep
from fakes.youtube_api import FakeYouTubeApi

from bot.domain import Kind, Platform
from bot.errors import PlatformError
from bot.platforms.base import PollingSource, ReplySender
from bot.platforms.flickr import FlickrSource
from bot.platforms.retry import RetryPolicy
from bot.platforms.seen import OVERLAP
from bot.platforms.youtube import YouTubeSource

NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def at(minutes_ago: float) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


@pytest.fixture
def clock_policy(sleeps: RecordedSleep) -> RetryPolicy:
    return RetryPolicy(base_delay=0.5, sleep=sleeps, clock=NOW.timestamp)


# --------------------------------------------------------------------------- Flickr


@pytest.fixture
def flickr_fake() -> Iterator[FakeFlickrApi]:
    with FakeFlickrApi() as server:
        yield server


@pytest.fixture
async def flickr(
    flickr_fake: FakeFlickrApi, clock_policy: RetryPolicy
) -> AsyncIterator[FlickrSource]:
    source = FlickrSource(flickr_fake.user_id, flickr_fake.api_key,
                          api_url=flickr_fake.base_url, policy=clock_policy)
    yield source
    await source.aclose()


def test_flickr_and_youtube_are_sources_with_no_way_to_reply() -> None:
    for source in (FlickrSource("u@N00", "key"), YouTubeSource("UC1", "key")):
        assert isinstance(source, PollingSource)
        assert not isinstance(source, ReplySender)
        for method in ("send_reply", "hide", "find_sent", "reply", "post", "comment"):
            assert not hasattr(source, method)
        assert not source.platform.answerable


async def test_flickr_comments_become_mentions_once_each(
    flickr_fake: FakeFlickrApi, flickr: FlickrSource
) -> None:
    photo = flickr_fake.add_photo()
    old = int(at(60 * 24 * 30).timestamp())
    flickr_fake.add_comment(photo, "a month old", datecreate=old)
    comment = flickr_fake.add_comment(photo, "Lovely garden!", datecreate=int(at(5).timestamp()))

    first = await flickr.poll(None)

    [mention] = first.mentions  # the month-old comment is beyond the first-run look-back
    assert mention.id == comment["id"]
    assert mention.platform is Platform.FLICKR and mention.kind is Kind.COMMENT
    assert mention.author.handle == "98765432@N01"
    assert mention.author.name == "Janet Photographer"
    assert mention.in_reply_to == photo
    assert mention.account == flickr_fake.user_id
    assert mention.created_at == at(5).replace(second=0)
    assert mention.url == comment["permalink"]
    call = flickr_fake.requests_to("/services/rest")[0]
    assert call.query["method"] == "flickr.people.getPublicPhotos"
    assert call.query["nojsoncallback"] == "1" and call.query["format"] == "json"

    again = await flickr.poll(first.cursor)
    assert again.mentions == []
    # Written during the last poll but stamped a little earlier than the newest one seen:
    late = flickr_fake.add_comment(photo, "late", datecreate=int(at(6).timestamp()))
    newer_photo = flickr_fake.add_photo("Estate fun day")
    fresh = flickr_fake.add_comment(newer_photo, "fun!", datecreate=int(at(1).timestamp()))
    result = await flickr.poll(again.cursor)
    assert [m.id for m in result.mentions] == [late["id"], fresh["id"]]
    assert (await flickr.poll(result.cursor)).mentions == []
    asked = flickr_fake.requests_to("/services/rest")[-1].query
    assert int(asked["min_comment_date"]) == int(at(1).timestamp()) - OVERLAP


async def test_flickr_skips_our_own_and_malformed_comments(
    flickr_fake: FakeFlickrApi, flickr: FlickrSource, caplog: pytest.LogCaptureFixture
) -> None:
    photo = flickr_fake.add_photo()
    when = int(at(3).timestamp())
    flickr_fake.add_comment(photo, "Thanks all", author=flickr_fake.user_id, datecreate=when)
    flickr_fake.add_raw_comment(photo, {"id": "x-1", "author": "1@N01", "datecreate": "soon",
                                        "_content": "bad date"})
    flickr_fake.add_raw_comment(photo, "not a comment")
    good = flickr_fake.add_comment(photo, "nice", datecreate=when)
    with caplog.at_level(logging.WARNING, logger="bot.platforms.flickr"):
        result = await flickr.poll(None)
    assert [m.id for m in result.mentions] == [good["id"]]
    assert len([r for r in caplog.records if "malformed" in r.getMessage()]) == 2


async def test_flickr_retries_outages_and_reports_api_errors(
    flickr_fake: FakeFlickrApi, flickr: FlickrSource, sleeps: RecordedSleep
) -> None:
    photo = flickr_fake.add_photo()
    flickr_fake.add_comment(photo, "hello", datecreate=int(at(2).timestamp()))
    flickr_fake.fail("/services/rest", 429, headers={"Retry-After": "0"})
    flickr_fake.fail("/services/rest", 200, body={"stat": "fail", "code": 105,
                                                  "message": "Service currently unavailable"})
    assert len((await flickr.poll(None)).mentions) == 1
    assert sleeps.waits == [0.0, 1.0]

    wrong = FlickrSource(flickr_fake.user_id, "wrong-key-123", api_url=flickr_fake.base_url)
    try:
        with pytest.raises(PlatformError, match="Invalid API Key") as caught:
            await wrong.poll(None)
    finally:
        await wrong.aclose()
    assert not caught.value.retryable


async def test_flickr_key_stays_out_of_the_logs(
    flickr_fake: FakeFlickrApi, flickr: FlickrSource, caplog: pytest.LogCaptureFixture
) -> None:
    flickr_fake.add_photo()
    with caplog.at_level(logging.DEBUG):
        await flickr.poll(None)
    messages = [r.getMessage() for r in caplog.records]
    assert any("api_key=<redacted>" in m for m in messages)
    assert not [m for m in messages if flickr_fake.api_key in m]


# --------------------------------------------------------------------------- YouTube


@pytest.fixture
def youtube_fake() -> Iterator[FakeYouTubeApi]:
    with FakeYouTubeApi() as server:
        yield server


def make_youtube(fake: FakeYouTubeApi, policy: RetryPolicy, **kw: int) -> YouTubeSource:
    return YouTubeSource(fake.channel_id, fake.api_key, api_url=fake.base_url, policy=policy,
                         **kw)


async def test_youtube_comments_become_mentions_and_paging_stops_at_the_cursor(
    youtube_fake: FakeYouTubeApi, clock_policy: RetryPolicy
) -> None:
    youtube = make_youtube(youtube_fake, clock_policy, page_size=2)
    try:
        for days in (40, 41, 42):
            youtube_fake.add_comment("ancient", published=at(60 * 24 * days))
        thread = youtube_fake.add_comment("Great video about the new homes", published=at(10))
        first = await youtube.poll(None)
        [mention] = first.mentions
        comment_id = thread["id"]
        assert mention.id == comment_id
        assert mention.platform is Platform.YOUTUBE and mention.kind is Kind.COMMENT
        assert mention.author.handle == "@janetenant"
        assert mention.in_reply_to == "dQw4w9WgXcQ"
        assert mention.url == f"https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc={comment_id}"
        assert mention.created_at == at(10)
        request = youtube_fake.requests_to("/commentThreads")[0]
        assert request.query["order"] == "time"
        assert request.query["allThreadsRelatedToChannelId"] == youtube_fake.channel_id
        assert request.headers["x-goog-api-key"] == youtube_fake.api_key
        assert "key" not in request.query  # the key is not in the (logged) URL

        newer = [youtube_fake.add_comment(f"new {i}", published=at(9 - i))["id"]
                 for i in range(5)]
        youtube_fake.add_comment("from us", published=at(1),
                                 author_channel=youtube_fake.channel_id)
        calls_before = len(youtube_fake.requests_to("/commentThreads"))
        result = await youtube.poll(first.cursor)
        assert [m.id for m in result.mentions] == newer
        # 10 threads newest first, 2 a page: it reads on through the hour of overlap before
        # the cursor and stops at the first page reaching older ones, not at the end.
        calls = youtube_fake.requests_to("/commentThreads")[calls_before:]
        assert [c.query.get("pageToken") for c in calls] == [None, "QUFF2", "QUFF4", "QUFF6"]
        assert (await youtube.poll(result.cursor)).mentions == []
    finally:
        await youtube.aclose()


async def test_youtube_skips_malformed_threads(
    youtube_fake: FakeYouTubeApi, clock_policy: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    youtube = make_youtube(youtube_fake, clock_policy)
    try:
        good = youtube_fake.add_comment("good", published=at(3))
        youtube_fake.add_raw_thread({"id": "broken", "snippet": {}}, at(2))
        bad_time = json.loads(json.dumps(youtube_fake.add_comment("bad", published=at(1))))
        youtube_fake.threads.pop()
        bad_time["snippet"]["topLevelComment"]["snippet"]["publishedAt"] = "last week"
        youtube_fake.add_raw_thread(bad_time, at(1))
        with caplog.at_level(logging.WARNING, logger="bot.platforms.youtube"):
            result = await youtube.poll(None)
        assert [m.id for m in result.mentions] == [good["id"]]
        assert len([r for r in caplog.records if "malformed" in r.getMessage()]) == 2
    finally:
        await youtube.aclose()


async def test_youtube_retries_and_reports_quota(
    youtube_fake: FakeYouTubeApi, clock_policy: RetryPolicy, sleeps: RecordedSleep
) -> None:
    youtube = make_youtube(youtube_fake, clock_policy)
    try:
        youtube_fake.add_comment("hi", published=at(1))
        youtube_fake.fail("/commentThreads", 503)
        youtube_fake.fail("/commentThreads", 429, headers={"Retry-After": "1"})
        assert len((await youtube.poll(None)).mentions) == 1
        assert sleeps.waits == [0.5, 1.0]

        youtube_fake.quota()
        with pytest.raises(PlatformError, match="quota") as caught:
            await youtube.poll(None)
        assert caught.value.retryable
    finally:
        await youtube.aclose()
