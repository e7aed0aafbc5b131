#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Builds the `fortunes` classification set from Debian's `fortunes` package.

Each entry of /usr/share/games/fortunes/<category> (entries separated by a line holding `%`)
becomes one sample labelled with its category. Whitespace is collapsed to single spaces,
entries longer than MAX_CHARS after that are skipped (the trainer truncates to its seqLen),
each class is capped at CAP entries (to keep the classes balanced-ish), and the rest is split
70/15/15 into train/val/test with a fixed seed. Python 3 standard library only.

Usage: python3 make_fortunes.py [--src /usr/share/games/fortunes] [--out DIR]
"""
import argparse
import os
import random

CATEGORIES = ["computers", "definitions", "politics", "zippy"]
MAX_CHARS = 400
CAP = 500
SEED = 20250919


def entries(path):
    with open(path, encoding="latin-1") as f:
        text = f.read()
    for raw in text.split("\n%\n"):
        norm = " ".join(raw.replace("\t", " ").split())
        # Keep printable ASCII only: the tokenizer's alphabet (see core/trainer/tokenizer.h).
        norm = "".join(c if 32 <= ord(c) < 127 else "?" for c in norm)
        if 0 < len(norm) <= MAX_CHARS:
            yield norm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default="/usr/share/games/fortunes")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    rng = random.Random(SEED)
    splits = {"train": [], "val": [], "test": []}
    for label, cat in enumerate(CATEGORIES):
        items = sorted(set(entries(os.path.join(args.src, cat))))
        rng.shuffle(items)
        items = items[:CAP]
        n = len(items)
        n_val = n_test = round(0.15 * n)
        splits["test"] += [(label, t) for t in items[:n_test]]
        splits["val"] += [(label, t) for t in items[n_test:n_test + n_val]]
        splits["train"] += [(label, t) for t in items[n_test + n_val:]]
    for name, rows in splits.items():
        rng.shuffle(rows)
        with open(os.path.join(args.out, name + ".tsv"), "w", encoding="ascii") as f:
            for label, text in rows:
                f.write(f"{label}\t{text}\n")
    with open(os.path.join(args.out, "labels.txt"), "w", encoding="ascii") as f:
        f.write("\n".join(CATEGORIES) + "\n")


if __name__ == "__main__":
    main()
