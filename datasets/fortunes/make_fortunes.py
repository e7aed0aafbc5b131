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
import collections
import os
import random
import re

CATEGORIES = ["computers", "definitions", "politics", "zippy"]
MAX_CHARS = 400
CAP = 100000  # effectively no cap: every entry of ≤ MAX_CHARS characters is used
SEED = 20250919
MERGES = 1024


def chunks(text):
    """Pre-tokenization shared with core/trainer/text_dataset.cpp: lower case, then words with
    their leading space attached (" the"), so that merges never cross a word boundary."""
    return re.findall(r" ?[^ ]+| ", text.lower())


def learn_merges(texts, count):
    """Byte-pair encoding (Sennrich et al. 2016) over characters, learnt on the TRAIN split only:
    repeatedly merge the most frequent adjacent pair (ties: the pair first seen in sorted order).
    Returns the merges in the order learnt; a prefix of the list is itself a valid, smaller BPE."""
    words = collections.Counter(c for t in texts for c in chunks(t))
    vocab = {tuple(w): n for w, n in words.items()}
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for w, n in vocab.items():
            for a, b in zip(w, w[1:]):
                pairs[a, b] += n
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if pairs[best] < 2:
            break
        merges.append(best)
        merged = {}
        for w, n in vocab.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        vocab = merged
    return merges


def entries(path, max_chars):
    with open(path, encoding="latin-1") as f:
        text = f.read()
    for raw in text.split("\n%\n"):
        norm = " ".join(raw.replace("\t", " ").split())
        # Keep printable ASCII only: the tokenizer's alphabet (see core/trainer/tokenizer.h).
        norm = "".join(c if 32 <= ord(c) < 127 else "?" for c in norm)
        if 0 < len(norm) <= max_chars:
            yield norm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default="/usr/share/games/fortunes")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--cap", type=int, default=CAP)
    ap.add_argument("--max-chars", type=int, default=MAX_CHARS)
    ap.add_argument("--merges", type=int, default=MERGES)
    ap.add_argument("--categories", default=",".join(CATEGORIES))
    args = ap.parse_args()
    categories = args.categories.split(",")
    rng = random.Random(SEED)
    splits = {"train": [], "val": [], "test": []}
    for label, cat in enumerate(categories):
        items = sorted(set(entries(os.path.join(args.src, cat), args.max_chars)))
        rng.shuffle(items)
        items = items[:args.cap]
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
    merges = learn_merges([t for _, t in splits["train"]], args.merges)
    with open(os.path.join(args.out, "merges.txt"), "w", encoding="ascii") as f:
        for a, b in merges:
            f.write(f"{a}\t{b}\n")
    with open(os.path.join(args.out, "labels.txt"), "w", encoding="ascii") as f:
        f.write("\n".join(categories) + "\n")


if __name__ == "__main__":
    main()
