#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generates the `dates` sequence-to-sequence set: a date written in one of several human
formats (source) -> the same date in ISO 8601 `YYYY-MM-DD` (target).

Dates are drawn uniformly from 1900-01-01 .. 2099-12-31 with a fixed seed; the weekday in the
long formats is the true weekday of that date. Each line of train/val/test.tsv is
`source<TAB>target`. Python 3 standard library only.

Usage: python3 make_dates.py [--out DIR]
"""
import argparse
import datetime
import os
import random

SEED = 20250920
SIZES = {"train": 6000, "val": 800, "test": 800}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def ordinal(n):
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


def render(d, fmt):
    m, mon = MONTHS[d.month - 1], MONTHS[d.month - 1][:3]
    return [
        f"{m} {d.day}, {d.year}",
        f"{d.day} {m} {d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"the {ordinal(d.day)} of {m} {d.year}",
        f"{mon} {d.day} {d.year}",
        f"{DAYS[d.weekday()]}, {m} {ordinal(d.day)}, {d.year}",
        f"{d.year}/{d.month}/{d.day}",
    ][fmt]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    rng = random.Random(SEED)
    start = datetime.date(1900, 1, 1).toordinal()
    end = datetime.date(2099, 12, 31).toordinal()
    seen = set()
    for name, size in SIZES.items():
        with open(os.path.join(args.out, name + ".tsv"), "w", encoding="ascii") as f:
            n = 0
            while n < size:
                d = datetime.date.fromordinal(rng.randint(start, end))
                src = render(d, rng.randrange(8))
                if src in seen:  # keep the splits disjoint
                    continue
                seen.add(src)
                f.write(f"{src}\t{d.isoformat()}\n")
                n += 1


if __name__ == "__main__":
    main()
