"""Possible duplicates (SK305): a record whose title and agency are very close to another's.

Titles are folded (no diacritics, lower case) and compared within the same agency lineage
(an agency and the units that merged into it). An inverted index of title words keeps this
near-linear: only records sharing most of their words are compared in full.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.text.vn import fold

_STOP = {"va", "cua", "tai", "cho", "trong", "cac", "nham", "giai", "phap", "nang", "cao", "hieu", "qua", "ung", "dung", "tren", "dia", "ban", "viec", "cong", "tac", "the", "mot", "nhung", "voi", "de", "o", "bang", "theo"}


@dataclass(frozen=True)
class TitleRecord:
    id: str
    title: str
    group: str  # the agency, or the head of its lineage


def _tokens(title: str) -> set[str]:
    return {w for w in fold(title).replace("-", " ").split() if w not in _STOP and len(w) > 1}


def find_duplicates(records: Iterable[TitleRecord], threshold: float) -> list[tuple[str, str, float]]:
    """(newer id, older id, similarity) for each close pair; ids compare as strings."""
    groups: dict[str, list[TitleRecord]] = defaultdict(list)
    for rec in records:
        groups[rec.group].append(rec)
    out: list[tuple[str, str, float]] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: r.id)
        folded = [fold(m.title) for m in members]
        toks = [_tokens(m.title) for m in members]
        postings: dict[str, list[int]] = defaultdict(list)
        for i, ts in enumerate(toks):
            for t in ts:
                postings[t].append(i)
        common_cut = max(20, len(members) // 4)
        for i, ts in enumerate(toks):
            if not ts:
                continue
            shared: Counter[int] = Counter()
            for t in ts:
                post = postings[t]
                if len(post) > common_cut:
                    continue
                for j in post:
                    if j < i:
                        shared[j] += 1
            best: tuple[float, int] | None = None
            for j, n in shared.items():
                union = len(ts | toks[j])
                if not union or n / union < 0.6:
                    continue
                ratio = difflib.SequenceMatcher(None, folded[i], folded[j]).ratio()
                if ratio >= threshold and (best is None or ratio > best[0]):
                    best = (ratio, j)
            if best:
                out.append((members[i].id, members[best[1]].id, best[0]))
    return out
