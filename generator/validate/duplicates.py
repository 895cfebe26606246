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
                # Equal scores go to the older record (lower id): the answer must not depend
                # on set order, so that `update_duplicates` can reproduce it exactly.
                if ratio >= threshold and (
                    best is None or ratio > best[0] or (ratio == best[0] and j < best[1])
                ):
                    best = (ratio, j)
            if best:
                out.append((members[i].id, members[best[1]].id, best[0]))
    return out


@dataclass(frozen=True)
class _Prepared:
    tokens: frozenset[str]
    folded: str


def _prepare(rec: TitleRecord) -> _Prepared:
    folded = " ".join(fold(rec.title).replace("-", " ").split())
    return _Prepared(frozenset(folded.split()), folded)


def _similarity(newer: _Prepared, older: _Prepared) -> float | None:
    """The score `find_duplicates` gives the pair, or None when one of its cuts drops it.

    The same tests in the same order: prefix filtering only skips pairs that fail the
    Jaccard test, so comparing two records directly gives the full search's answer.
    """
    ts, tj = newer.tokens, older.tokens
    if not ts or not tj:
        return None
    n_i, n_j = len(ts), len(tj)
    if n_j < MIN_JACCARD * n_i or n_j > n_i / MIN_JACCARD:
        return None
    inter = len(ts & tj)
    if inter < MIN_JACCARD * (n_i + n_j - inter):
        return None
    gi, gj = _trigrams(newer.folded), _trigrams(older.folded)
    return 2 * len(gi & gj) / (len(gi) + len(gj))


def _better(ratio: float, older: str, best: tuple[str, float] | None) -> bool:
    return best is None or ratio > best[1] or (ratio == best[1] and older < best[0])


def find_duplicates_of(
    targets: Iterable[str], records: Iterable[TitleRecord], threshold: float
) -> list[tuple[str, str, float]]:
    """The pairs `find_duplicates(records)` gives for the `targets` ids: each target against
    every earlier record (lower id) of its group, with the same tests and tie-break.

    Costs one comparison per record of the targets' groups, so that re-checking a few edited
    records does not redo the whole search.
    """
    by_id = {r.id: r for r in records}
    wanted = [by_id[t] for t in dict.fromkeys(targets) if t in by_id]
    groups: dict[str, list[TitleRecord]] = defaultdict(list)
    wanted_groups = {w.group for w in wanted}
    for rec in by_id.values():
        if rec.group in wanted_groups:
            groups[rec.group].append(rec)
    prepared = {r.id: _prepare(r) for members in groups.values() for r in members}
    out: list[tuple[str, str, float]] = []
    for rec in wanted:
        best: tuple[str, float] | None = None
        mine = prepared[rec.id]
        for other in groups[rec.group]:
            if other.id >= rec.id:
                continue
            ratio = _similarity(mine, prepared[other.id])
            if ratio is not None and ratio >= threshold and _better(ratio, other.id, best):
                best = (other.id, ratio)
        if best:
            out.append((rec.id, best[0], best[1]))
    return out


def update_duplicates(
    previous: Iterable[tuple[str, str, float]],
    records: Iterable[TitleRecord],
    changed: Iterable[str],
    threshold: float,
) -> list[tuple[str, str, float]]:
    """`find_duplicates(records, threshold)` computed from an earlier answer.

    `previous` is what `find_duplicates` (or this function) gave for the earlier records;
    `changed` holds every id added, removed, or whose title or group changed since. Pairs
    between unchanged records are kept; changed records are compared with their groups.
    """
    current = {r.id: r for r in records}
    changed_ids = set(changed)
    best: dict[str, tuple[str, float]] = {}
    redo = {c for c in changed_ids if c in current}
    for newer, older, ratio in previous:
        if newer not in current or newer in changed_ids:
            continue
        if older in changed_ids:
            # Its best match changed or left: search its whole group again.
            redo.add(newer)
        else:
            best[newer] = (older, ratio)
    for newer, older, ratio in find_duplicates_of(redo, current.values(), threshold):
        best[newer] = (older, ratio)
    # An unchanged record keeps its best unchanged match unless a changed, older record of
    # its group now scores higher.
    fresh = [current[c] for c in changed_ids if c in current]
    groups = {r.group for r in fresh}
    prepared: dict[str, _Prepared] = {}

    def prep(rec: TitleRecord) -> _Prepared:
        hit = prepared.get(rec.id)
        if hit is None:
            hit = prepared[rec.id] = _prepare(rec)
        return hit

    for rec in current.values():
        if rec.group not in groups or rec.id in redo:
            continue
        for c in fresh:
            if c.group != rec.group or c.id >= rec.id:
                continue
            ratio = _similarity(prep(rec), prep(c))
            if ratio is not None and ratio >= threshold and _better(ratio, c.id, best.get(rec.id)):
                best[rec.id] = (c.id, ratio)
    return [(newer, older, ratio) for newer, (older, ratio) in best.items()]
