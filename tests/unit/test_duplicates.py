"""Similar titles (SK305): the incremental searches give exactly the full search's pairs."""

from __future__ import annotations

import random

from generator.validate.duplicates import (
    TitleRecord,
    find_duplicates,
    find_duplicates_of,
    update_duplicates,
)

THRESHOLD = 0.85
SAMPLE = (
    "cải cách hành chính số hoá hồ sơ một cửa liên thông dịch vụ công trực tuyến mã QR "
    "tiếp nhận trả kết quả giải quyết thủ tục đất đai hộ tịch xã phường huyện tỉnh"
)
WORDS = SAMPLE.split()


def _title(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(3, 9)))


def _registry(rng: random.Random, n: int) -> dict[str, TitleRecord]:
    """Records in four groups; about a third copy or nearly copy an earlier title."""
    out: dict[str, TitleRecord] = {}
    for k in range(n):
        rid = f"QNG-2024-{k:04d}"
        group = rng.choice("abcd")
        if out and rng.random() < 0.35:
            base = rng.choice(list(out.values())).title
            title = base if rng.random() < 0.5 else base + rng.choice(("", " mới", "s"))
        else:
            title = _title(rng)
        out[rid] = TitleRecord(rid, title, group)
    return out


def _pairs(pairs: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    return sorted(pairs)


def test_these_records_against_all_finds_the_full_search_pairs() -> None:
    rng = random.Random(7)
    records = _registry(rng, 400)
    full = _pairs(find_duplicates(records.values(), THRESHOLD))
    assert len(full) > 50, "the sample must hold many near-duplicates (ties included)"
    assert _pairs(find_duplicates_of(records, records.values(), THRESHOLD)) == full
    some = rng.sample(sorted(records), 40)
    assert _pairs(find_duplicates_of(some, records.values(), THRESHOLD)) == [
        p for p in full if p[0] in set(some)
    ]


def test_update_after_edits_equals_a_new_full_search() -> None:
    rng = random.Random(11)
    records = _registry(rng, 300)
    pairs = find_duplicates(records.values(), THRESHOLD)
    next_id = 300
    for _round in range(40):
        changed: set[str] = set()
        for _edit in range(rng.randint(1, 4)):
            action = rng.random()
            rid = rng.choice(sorted(records))
            if action < 0.3:
                # Copy another record's title: creates a duplicate, often a tie.
                other = rng.choice(list(records.values()))
                records[rid] = TitleRecord(rid, other.title, records[rid].group)
            elif action < 0.5:
                records[rid] = TitleRecord(rid, _title(rng), records[rid].group)
            elif action < 0.65:
                records[rid] = TitleRecord(rid, records[rid].title, rng.choice("abcd"))
            elif action < 0.8:
                del records[rid]
            else:
                rid = f"QNG-2024-{next_id:04d}"
                next_id += 1
                records[rid] = TitleRecord(rid, rng.choice(list(records.values())).title, "a")
            changed.add(rid)
        pairs = update_duplicates(pairs, records.values(), changed, THRESHOLD)
        assert _pairs(pairs) == _pairs(find_duplicates(records.values(), THRESHOLD))


def test_an_edit_that_removes_the_likeness_removes_the_pair() -> None:
    a = TitleRecord("QNG-2024-0001", "Số hoá hồ sơ một cửa cấp xã", "x")
    b = TitleRecord("QNG-2024-0002", "Số hoá hồ sơ một cửa cấp xã", "x")
    pairs = find_duplicates([a, b], THRESHOLD)
    assert [p[:2] for p in pairs] == [("QNG-2024-0002", "QNG-2024-0001")]
    b2 = TitleRecord(b.id, "Tuyến đường hoa ven biển", "x")
    assert update_duplicates(pairs, [a, b2], {b.id}, THRESHOLD) == []
    assert [p[:2] for p in update_duplicates([], [a, b], {b.id}, THRESHOLD)] == [
        ("QNG-2024-0002", "QNG-2024-0001")
    ]
