"""Possible duplicates (SK305): a record whose title and agency are very close to another's.

Titles are folded (no diacritics, lower case) and compared within the same agency lineage
(an agency and the unit that absorbed it). To stay near-linear on tens of thousands of
records we use prefix filtering (the "all-pairs" method): each title's words are ordered
rarest first and only the first few are indexed; two titles whose word sets overlap by at
least `MIN_JACCARD` must share one of those words. Candidates are then scored by the Dice
coefficient of their character trigrams (set operations in C; difflib's ratio was 100x
slower and ranks typos, accents and word order the same way on titles).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.text.vn import fold

MIN_JACCARD = 0.6


@dataclass(frozen=True)
class TitleRecord:
    id: str
    title: str
    group: str  # the agency, or the head of its lineage


def _trigrams(text: str) -> frozenset[str]:
    padded = f"  {text} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def find_duplicates(
    records: Iterable[TitleRecord], threshold: float
) -> list[tuple[str, str, float]]:
    """(newer id, older id, similarity 0-1) for each record close to an earlier one."""
    groups: dict[str, list[TitleRecord]] = defaultdict(list)
    for rec in records:
        groups[rec.group].append(rec)
    out: list[tuple[str, str, float]] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: r.id)
        folded = [" ".join(fold(m.title).replace("-", " ").split()) for m in members]
        tokens = [frozenset(f.split()) for f in folded]
        freq = Counter(t for ts in tokens for t in ts)
        grams: dict[int, frozenset[str]] = {}
        index: dict[str, list[int]] = defaultdict(list)
        for i, ts in enumerate(tokens):
            if not ts:
                continue
            ordered = sorted(ts, key=lambda t: (freq[t], t))
            prefix = len(ordered) - math.ceil(MIN_JACCARD * len(ordered)) + 1
            candidates: set[int] = set()
            for t in ordered[:prefix]:
                candidates.update(index[t])
                index[t].append(i)
            best: tuple[float, int] | None = None
            n_i = len(ts)
            lo, hi = MIN_JACCARD * n_i, n_i / MIN_JACCARD
            for j in candidates:
                tj = tokens[j]
                n_j = len(tj)
                # Jaccard >= t needs sizes within a factor t of each other: a cheap first cut.
                if n_j < lo or n_j > hi:
                    continue
                inter = len(ts & tj)
                if inter < MIN_JACCARD * (n_i + n_j - inter):
                    continue
                # Trigrams only for the few pairs that get this far.
                gi = grams.get(i) or grams.setdefault(i, _trigrams(folded[i]))
                gj = grams.get(j) or grams.setdefault(j, _trigrams(folded[j]))
                ratio = 2 * len(gi & gj) / (len(gi) + len(gj))
                if ratio >= threshold and (best is None or ratio > best[0]):
                    best = (ratio, j)
            if best:
                out.append((members[i].id, members[best[1]].id, best[0]))
    return out
