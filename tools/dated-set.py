#!/usr/bin/env python3
"""Builds evals/dated/fr-code-civil-asof.jsonl, the dated question set of issue 14, from two inputs:

  - evals/dated/fr-code-civil-topics.jsonl (committed, hand-written): per article whose text changed, the day of the
    change and a question on its topic;
  - ../shared/corpora/fr-code-civil-history/versions.jsonl (shared, read only): every version of every article.

Each question is asked twice: as of a day in the version before the change and as of a day in the version from the
change on. The day is named in the question ("En 2004, …", "Au 1er juillet 2006, …") and given as "asOf"; the gold is
the article, whose version in force that day is tagged "version:<its first day>". Only dates and article numbers come
from the versions file; no text of it enters the set. Fails with the topic line and the reason when a topic does not fit
the versions (no version starting on the change, no version before it).

Usage: tools/dated-set.py [--versions PATH] [--check]   (--check: exit 1 when the committed set differs)
"""
import argparse
import datetime as dt
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOPICS = ROOT / "evals/dated/fr-code-civil-topics.jsonl"
OUT = ROOT / "evals/dated/fr-code-civil-asof.jsonl"
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]


def day(text):
    return dt.date.fromisoformat(text) if text else None


def inside(d, version):
    return version["from"] <= d and (version["to"] is None or d < version["to"])


def pick(version, prefer):
    """A day in the version's interval: 1 January of a preferred year when it falls inside, else the first of the month
    halfway through (intervals of a few months)."""
    for year in prefer:
        d = dt.date(year, 1, 1)
        if inside(d, version):
            return d
    end = version["to"] or version["from"] + dt.timedelta(days=730)
    mid = version["from"] + (end - version["from"]) / 2
    d = dt.date(mid.year, mid.month, 1)
    if not inside(d, version):
        d = version["from"]
    return d


def phrase(d):
    """The day as the question names it, in words the French language pack reads."""
    if d.month == 1 and d.day == 1:
        return f"En {d.year}"
    return f"Au {'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--versions", default=str(ROOT.parent / "shared/corpora/fr-code-civil-history/versions.jsonl"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    versions = {}
    for n, line in enumerate(open(args.versions, encoding="utf-8"), 1):
        row = json.loads(line)
        number = row["article"].removeprefix("Article ").strip()
        v = {"from": day(row["valid_from"]), "to": day(row["valid_to"])}
        if v["from"] is None or (v["to"] is not None and v["to"] <= v["from"]):
            continue  # a version with no interval cannot be anyone's gold
        versions.setdefault(number, []).append(v)

    lines = []
    for n, line in enumerate(open(TOPICS, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        topic = json.loads(line)
        where = f"{TOPICS.name}:{n}"
        article, change = topic["article"], day(topic["change"])
        history = sorted(versions.get(article, []), key=lambda v: v["from"])
        after = next((v for v in history if v["from"] == change), None)
        before = next((v for v in reversed(history) if v["from"] < change and inside(change - dt.timedelta(days=1), v)), None)
        if after is None or before is None:
            sys.exit(f"{where}: article {article} has no version starting on {change} with one in force the day before")
        picks = [("before", before, pick(before, [change.year - 2, change.year - 1])),
                 ("after", after, pick(after, [change.year + 1, change.year + 2]))]
        for when, version, asked in picks:
            text = topic["question"]
            question = {
                "id": f"fr-asof-{article}-{when}",
                "question": f"{phrase(asked)}, {text}",
                "language": "fr",
                "gold": [f"Code civil, art. {article}"],
                "tags": [f"topic:{topic['topic']}", f"when:{when}", f"version:{version['from'].isoformat()}"],
                "asOf": asked.isoformat(),
            }
            lines.append(json.dumps(question, ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.relative_to(ROOT)} is not what tools/dated-set.py builds; run it and commit the result")
        print(f"{OUT.relative_to(ROOT)}: up to date ({len(lines)} questions)")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(lines)} questions to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
