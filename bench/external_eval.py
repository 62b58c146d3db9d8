"""External checks of triage on public labelled data (measuring only, never training).

Reports, on ../shared/eval-data (or --data):
  (a) abuse detection on TweetEval-offensive test (macro-F1 of abuse vs not),
  (b) spam detection on the YouTube spam collection and the SMS spam collection (F1 of spam),
  (c) the share of CLINC150 out-of-scope test queries that get intent `other` and no draft.
A mention counts as abuse when its intent is `abuse`, as spam when its intent is `spam`.

Further checks without a target follow (ConvAbuse, TweetEval-hate, SMS phishing, other
organisations' customer queries): they watch how the triage generalises beyond the four
above, so that a change tuned to those four shows up here. A missing folder is skipped.

    python bench/external_eval.py [--data PATH] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
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


Loader = Callable[[Path, int | None], tuple[list[str], list[bool]]]


def convabuse(data: Path, limit: int | None) -> tuple[list[str], list[bool]]:
    """Abusive when more than half the votes cast are -1, -2 or -3 (SOURCES.md's rule)."""
    texts, labels = [], []
    path = data / "convabuse" / "ConvAbuseEMNLPtest.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            cast = abusive = 0
            for column, value in row.items():
                if "_is_abuse." not in column or value.strip() not in ("1", "1.0"):
                    continue
                cast += 1
                abusive += column.rsplit(".", 1)[1] in ("-1", "-2", "-3")
            if cast:
                texts.append(row["user"])
                labels.append(abusive * 2 > cast)
    return texts[:limit], labels[:limit]


def tweeteval_hate(data: Path, limit: int | None) -> tuple[list[str], list[bool]]:
    folder = data / "tweeteval-hate"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [line.strip() == "1" for line in (folder / "test_labels.txt").read_text().splitlines()]
    return texts[:limit], labels[:limit]


def smishing(data: Path, limit: int | None) -> tuple[list[str], list[bool]]:
    texts, labels = [], []
    path = data / "smishing-mendeley-5971" / "Dataset_5971.csv"
    with path.open(encoding="utf-8", errors="replace", newline="") as stream:
        for row in csv.DictReader(stream):
            texts.append(row["TEXT"])
            labels.append(row["label"].strip().lower() in ("spam", "smishing"))
    return texts[:limit], labels[:limit]


def banking77(data: Path, limit: int | None) -> list[str]:
    with (data / "banking77" / "test.csv").open(encoding="utf-8", newline="") as stream:
        return [row["text"] for row in csv.DictReader(stream)][:limit]


def hint3_oos(data: Path, limit: int | None) -> list[str]:
    texts = []
    for path in sorted((data / "hint3").glob("*_test.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            texts.extend(
                row["sentence"]
                for row in csv.DictReader(stream)
                if row["label"] == "NO_NODES_DETECTED"
            )
    return texts[:limit]


def random_tweets(data: Path, limit: int | None) -> list[str]:
    """The complaints corpus's random tweets and replies: not addressed to us at all."""
    path = data / "twitter-complaints-preotiuc" / "complaints-data.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return [row[1] for row in rows if row[3] in ("random_tweet", "random_reply")][:limit]


#: Bitext's generic customer-service intents and the intents of ours that answer them.
BITEXT_INTENTS: dict[str, frozenset[Intent]] = {
    "complaint": frozenset({Intent.COMPLAINT}),
    "contact_human_agent": frozenset({Intent.CONTACT_REQUEST}),
    "contact_customer_service": frozenset({Intent.CONTACT_REQUEST, Intent.OPENING_HOURS}),
    "review": frozenset({Intent.FEEDBACK_THANKS, Intent.COMPLAINT}),
}


def bitext(data: Path, limit: int | None) -> dict[str, list[str]]:
    path = data / "bitext-customer-support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
    by_intent: dict[str, list[str]] = {name: [] for name in BITEXT_INTENTS}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["intent"] in by_intent:
                by_intent[row["intent"]].append(row["instruction"])
    return {name: texts[:limit] for name, texts in by_intent.items()}


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

    extra = further_checks(args.data, args.limit, processor)
    elapsed = time.perf_counter() - started
    if args.json:
        print(
            json.dumps(
                {"results": results, "further": extra, "seconds": round(elapsed, 1)}, indent=2
            )
        )
        return 0
    rows = (
        ("TweetEval-offensive (abuse)", "tweeteval_offensive_abuse", "macro_f1", 0.70),
        ("YouTube spam", "youtube_spam", "spam_f1", 0.90),
        ("SMS spam", "sms_spam", "spam_f1", 0.90),
        ("CLINC150 out-of-scope → other", "clinc150_oos_other", "share_other_no_draft", 0.85),
    )
    print(f"{'check':36} {'n':>6}  {'figure':>22}  target")
    for title, key, figure, target in rows:
        value = results[key][figure]
        print(f"{title:36} {results[key]['n']:>6}  {figure:>14} {value:.3f}  ≥ {target:.2f}")
    print("\nfurther checks (no target; for comparing changes)")
    for title, (n, figure, value) in extra.items():
        print(f"{title:36} {n:>6}  {figure:>14} {value:.3f}")
    print(f"({elapsed:.1f}s)")
    return 0


def further_checks(
    data: Path, limit: int | None, processor: MentionProcessor
) -> dict[str, tuple[int, str, float]]:
    """Title → (n, figure name, value); a dataset that is not there is left out."""
    found: dict[str, tuple[int, str, float]] = {}

    def outcomes(texts: list[str], platform: Platform = Platform.TWITTER) -> list[Intent]:
        kind = Kind.COMMENT if platform is Platform.FACEBOOK else Kind.MENTION
        return [r.triage.intent for r in processor.process_all(mentions(texts, platform, kind))]

    def labelled(title: str, load: Loader, intent: Intent, figure: str) -> None:
        try:
            texts, truth = load(data, limit)
        except FileNotFoundError:
            return
        got = [i is intent for i in outcomes(texts)]
        value = macro_f1(truth, got) if figure == "macro_f1" else f1(truth, got)
        found[title] = (len(texts), figure, value)

    def out_of_scope(title: str, load: Callable[[Path, int | None], list[str]]) -> None:
        try:
            texts = load(data, limit)
        except FileNotFoundError:
            return
        got = outcomes(texts)
        found[title] = (len(texts), "share_other", got.count(Intent.OTHER) / max(len(got), 1))

    labelled("ConvAbuse test (abuse)", convabuse, Intent.ABUSE, "macro_f1")
    labelled("TweetEval-hate test (abuse)", tweeteval_hate, Intent.ABUSE, "macro_f1")
    labelled("SMS phishing 5971 (spam)", smishing, Intent.SPAM, "spam_f1")
    out_of_scope("Banking77 test → other", banking77)
    out_of_scope("HINT3 out-of-scope → other", hint3_oos)
    out_of_scope("random tweets (complaints corpus) → other", random_tweets)
    try:
        queries = bitext(data, limit)
    except FileNotFoundError:
        queries = {}
    for name, texts in queries.items():
        accepted = BITEXT_INTENTS[name]
        got = outcomes(texts, Platform.FACEBOOK)
        share = sum(i in accepted for i in got) / max(len(got), 1)
        wanted = "/".join(sorted(i.value for i in accepted))
        found[f"Bitext {name} → {wanted}"] = (len(texts), "share", share)
    return found


if __name__ == "__main__":
    sys.exit(main())
