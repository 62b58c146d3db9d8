"""External checks of triage on public labelled data (measuring only, never training).

Reports, on ../shared/eval-data (or --data):
  (a) abuse detection on TweetEval-offensive test (macro-F1 of abuse vs not),
  (b) spam detection on the YouTube spam collection and the SMS spam collection (F1 of spam),
  (c) the share of CLINC150 out-of-scope test queries that get intent `other` and no draft.
A mention counts as abuse when its intent is `abuse`, as spam when its intent is `spam`.

    python bench/external_eval.py [--data PATH] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.domain import Author, Intent, Kind, Mention, Platform
from bot.processing import MentionProcessor

# A Wednesday afternoon: inside office hours, so drafts are not about opening times.
WHEN = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval-data"


def mentions(texts: Iterable[str], platform: Platform, kind: Kind) -> list[Mention]:
    return [
        Mention(str(i), platform, kind, Author("@someone"), text, WHEN)
        for i, text in enumerate(texts)
    ]


def f1(truth: Sequence[bool], predicted: Sequence[bool]) -> float:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    fp = sum(p and not t for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(truth: Sequence[bool], predicted: Sequence[bool]) -> float:
    inverse_t = [not t for t in truth]
    inverse_p = [not p for p in predicted]
    return (f1(truth, predicted) + f1(inverse_t, inverse_p)) / 2


def tweeteval(data: Path, limit: int | None) -> tuple[list[str], list[bool]]:
    folder = data / "tweeteval-offensive"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [line.strip() == "1" for line in (folder / "test_labels.txt").read_text().splitlines()]
    return texts[:limit], labels[:limit]


def youtube(data: Path, limit: int | None) -> tuple[list[str], list[bool]]:
    texts, labels = [], []
    for path in sorted((data / "youtube-spam-collection").glob("Youtube0*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                texts.append(row["CONTENT"])
                labels.append(row["CLASS"].strip() == "1")
    return texts[:limit], labels[:limit]


def sms(data: Path, limit: int | None) -> tuple[list[str], list[bool]]:
    texts, labels = [], []
    path = data / "sms-spam-collection" / "SMSSpamCollection.tsv"
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            texts.append(row["SMS"])
            labels.append(row["Label"].strip() == "spam")
    return texts[:limit], labels[:limit]


def clinc_oos(data: Path, limit: int | None) -> list[str]:
    full = json.loads((data / "clinc150-oos" / "data_full.json").read_text(encoding="utf-8"))
    return [text for text, _ in full["oos_test"]][:limit]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="Use the first N of each set.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    processor = MentionProcessor.load(load_settings())
    started = time.perf_counter()
    results: dict[str, dict[str, float | int]] = {}

    def intents(texts: list[str], platform: Platform, kind: Kind) -> list[Intent]:
        return [r.triage.intent for r in processor.process_all(mentions(texts, platform, kind))]

    texts, truth = tweeteval(args.data, args.limit)
    got = [i is Intent.ABUSE for i in intents(texts, Platform.TWITTER, Kind.MENTION)]
    results["tweeteval_offensive_abuse"] = {
        "n": len(texts),
        "macro_f1": macro_f1(truth, got),
        "abuse_f1": f1(truth, got),
    }

    for name, loader, platform, kind in (
        ("youtube_spam", youtube, Platform.YOUTUBE, Kind.COMMENT),
        ("sms_spam", sms, Platform.TELEGRAM, Kind.DM),
    ):
        texts, truth = loader(args.data, args.limit)
        got = [i is Intent.SPAM for i in intents(texts, platform, kind)]
        results[name] = {"n": len(texts), "spam_f1": f1(truth, got)}

    texts = clinc_oos(args.data, args.limit)
    outcomes = list(processor.process_all(mentions(texts, Platform.TWITTER, Kind.MENTION)))
    other = sum(r.triage.intent is Intent.OTHER and r.draft is None for r in outcomes)
    results["clinc150_oos_other"] = {"n": len(texts), "share_other_no_draft": other / len(texts)}

    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"results": results, "seconds": round(elapsed, 1)}, indent=2))
        return 0
    rows = (
        ("TweetEval-offensive (abuse)", "tweeteval_offensive_abuse", "macro_f1", 0.70),
        ("YouTube spam", "youtube_spam", "spam_f1", 0.90),
        ("SMS spam", "sms_spam", "spam_f1", 0.90),
        ("CLINC150 out-of-scope → other", "clinc150_oos_other", "share_other_no_draft", 0.85),
    )
    print(f"{'check':32} {'n':>6}  {'figure':>22}  target")
    for title, key, figure, target in rows:
        value = results[key][figure]
        print(f"{title:32} {results[key]['n']:>6}  {figure:>14} {value:.3f}  ≥ {target:.2f}")
    print(f"({elapsed:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
