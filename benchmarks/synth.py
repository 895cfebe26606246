"""Deterministic synthetic registry for benchmarks and load tests.

    python benchmarks/synth.py --count 10000 --out /tmp/reg10k [--seed 1] [--force]

writes a complete registry folder in the data contract's layout (``initiatives/<YYYY>/<ID>.yml``,
``agencies/<id>.yml``, ``taxonomy/fields.yml``) whose records pass the JSON Schema and the
cross-file rules: ids unique and matching file and folder names; every agency, field and related
id exists; contribution_pct sums to 100; dates real and not after `TODAY`; first_applied before
every decision; a ``tinh``/``toan-quoc`` "dat" only after an earlier ``co-so``/``bo-nganh`` "dat";
no adoption by an agency after it ceased; successors and predecessors reciprocal.

Other benchmarks import `generate(out, count, seed)`. The same seed always gives byte-identical
files: all randomness comes from one `random.Random(seed)` consumed in a fixed order.

Every record carries ``provenance.sample: true``; names, numbers and decisions are invented.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PREFIX = "QNG"
YEARS = tuple(range(2015, 2026))
# More recent years hold more records, as recognition rounds grew.
YEAR_WEIGHTS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15)
MAX_PER_YEAR = 9999
# Dates must not be in the future for the validator; pinned so output does not depend on the
# day the generator runs.
TODAY = date(2026, 11, 26)
# Departments merged on 01/03/2025; districts and many communes ceased on 30/06/2025.
DEPT_MERGE_END = date(2025, 2, 28)
DEPT_MERGE_START = date(2025, 3, 1)
DISTRICTS_END = date(2025, 6, 30)
COMMUNES_START = date(2025, 7, 1)

PROVINCE = "ubnd-tinh-quang-ngai"
INITIATIVE_HEADER = "# yaml-language-server: $schema=../../../schema/initiative.schema.json\n"
AGENCY_HEADER = "# yaml-language-server: $schema=../../schema/agency.schema.json\n"
FIELDS_HEADER = "# yaml-language-server: $schema=../../schema/fields.schema.json\n"

# ---------------------------------------------------------------------------
# Minimal YAML writer
# ---------------------------------------------------------------------------
# yaml.safe_dump is ~20x slower than string building and cannot put kebab-case id lists in
# flow style while keeping Markdown in literal blocks. The records have a fixed, known shape,
# so a small writer is enough; `tests` round-trip its output through yaml.safe_load.

# Plain scalars must not start with YAML indicators or digits (which could read as numbers or
# dates), must not contain ": " or " #", and must not end in ":" or whitespace.
_PLAIN_SAFE = re.compile(r"[^\s!&*\-?:,\[\]{}#|>@`\"'%0-9.+~<=\\][^\n\t\\]*")
# Words YAML 1.1 (PyYAML) would read as booleans or null.
_YAML_WORDS = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
    | {"Y", "N", "Yes", "No", "On", "Off", "True", "False", "Null"}
    | {"YES", "NO", "ON", "OFF", "TRUE", "FALSE", "NULL"}
)
# Lists written in flow style: short ASCII ids.
_FLOW_KEYS = frozenset(
    {"solution_types", "fields", "tags", "related", "successors", "predecessors"}
)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        # PyYAML reads "1e-05" as a string; the generator's floats never need an exponent.
        text = repr(value)
        return text if "e" not in text else f"{value:.6f}"
    if isinstance(value, date):
        return value.isoformat()
    if (
        _PLAIN_SAFE.fullmatch(value)
        and ": " not in value
        and " #" not in value
        and value[-1] not in ": "
        and value not in _YAML_WORDS
    ):
        return value
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def _block(text: str, indent: str) -> str:
    # Literal block keeps Markdown exactly; "|" keeps the final newline, "|-" strips it.
    head = "|" if text.endswith("\n") else "|-"
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in lines)
    return f"{head}\n{body}"


def _emit_map(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:\n")
            _emit_map(value, indent + 2, out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{pad}{key}: []\n")
            elif key in _FLOW_KEYS:
                out.append(f"{pad}{key}: [{', '.join(value)}]\n")
            else:
                out.append(f"{pad}{key}:\n")
                _emit_seq(value, indent + 2, out)
        elif isinstance(value, str) and "\n" in value and not value.startswith(" "):
            out.append(f"{pad}{key}: {_block(value, pad + '  ')}")
        else:
            out.append(f"{pad}{key}: {_scalar(value)}\n")


def _emit_seq(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            start = len(out)
            _emit_map(item, indent + 2, out)
            # The first key of a mapping item shares the line with "- ".
            out[start] = f"{pad}- {out[start][indent + 2 :]}"
        else:
            out.append(f"{pad}- {_scalar(item)}\n")


def to_yaml(record: dict[str, Any], header: str = "") -> str:
    """Serialise one mapping (initiative or agency) as block-style YAML."""
    out = [header]
    _emit_map(record, 0, out)
    return "".join(out)


def seq_to_yaml(items: list[dict[str, Any]], header: str = "") -> str:
    """Serialise a top-level sequence of mappings (the field taxonomy)."""
    out = [header]
    _emit_seq(items, 0, out)
    return "".join(out)


# ---------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------


@dataclass
class Agency:
    """An agency plus what the generator needs to write about it (not all of it is stored)."""

    id: str
    name: str
    name_en: str
    kind: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successors: list[str] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)
    # Generator-only attributes
    code: str = "QĐ-UBND"  # decision number suffix
    area: str = "tỉnh Quảng Ngãi"  # where it works, for sentences
    area_en: str = "Quang Ngai province"
    fields: tuple[str, ...] = ()  # preferred fields; empty = any
    positions: tuple[str, ...] = ()
    email: str | None = None
    owner_weight: float = 0.0  # how often it owns initiatives; 0 = never

    def record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"id": self.id, "name": self.name, "name_en": self.name_en}
        rec["kind"] = self.kind
        if self.parent:
            rec["parent"] = self.parent
        if self.valid_from:
            rec["valid_from"] = self.valid_from
        if self.valid_to:
            rec["valid_to"] = self.valid_to
        rec["successors"] = self.successors
        rec["predecessors"] = self.predecessors
        return rec

    def active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")


_DEPT_POSITIONS = (
    "Giám đốc Sở",
    "Phó Giám đốc Sở",
    "Chánh Văn phòng",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Chuyên viên chính",
    "Chuyên viên",
    "Chuyên viên",
)
_DISTRICT_POSITIONS = (
    "Phó Chủ tịch UBND",
    "Chánh Văn phòng HĐND và UBND",
    "Trưởng phòng Nội vụ",
    "Trưởng phòng Tư pháp",
    "Phó Trưởng phòng Tài chính - Kế hoạch",
    "Chuyên viên Phòng Văn hóa và Thông tin",
    "Chuyên viên Phòng Tài nguyên và Môi trường",
    "Chuyên viên Văn phòng HĐND và UBND",
)
_COMMUNE_POSITIONS = (
    "Chủ tịch UBND",
    "Phó Chủ tịch UBND",
    "Công chức Văn phòng - Thống kê",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Địa chính - Xây dựng",
    "Công chức Tài chính - Kế toán",
    "Công chức Văn hóa - Xã hội",
)
_NEW_COMMUNE_POSITIONS = (
    "Chủ tịch UBND",
    "Phó Chủ tịch UBND",
    "Chánh Văn phòng HĐND và UBND",
    "Trưởng phòng Kinh tế",
    "Trưởng phòng Văn hóa - Xã hội",
    "Giám đốc Trung tâm Phục vụ hành chính công",
    "Chuyên viên",
)
_HOSPITAL_POSITIONS = (
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng khoa",
    "Điều dưỡng trưởng",
    "Bác sĩ",
    "Dược sĩ",
    "Kỹ thuật viên",
)
_SCHOOL_POSITIONS = ("Hiệu trưởng", "Phó Hiệu trưởng", "Tổ trưởng chuyên môn", "Giáo viên")
_SERVICE_POSITIONS = ("Giám đốc Trung tâm", "Phó Giám đốc Trung tâm", "Viên chức", "Viên chức")


def build_agencies() -> dict[str, Agency]:
    """Return the ~65 agencies, with mergers and the 2025 reorganisation, keyed by id."""
    agencies: list[Agency] = []

    def add(agency: Agency) -> Agency:
        agencies.append(agency)
        return agency

    add(
        Agency(
            PROVINCE,
            "UBND tỉnh Quảng Ngãi",
            "Quang Ngai Provincial People's Committee",
            "ubnd-tinh",
            email="ubnd@quangngai.gov.vn",
        )
    )
    for agency_id, kind, name, name_en, code in (
        (
            "bo-khcn",
            "khac",
            "Bộ Khoa học và Công nghệ",
            "Ministry of Science and Technology",
            "QĐ-BKHCN",
        ),
        (
            "bo-gddt",
            "khac",
            "Bộ Giáo dục và Đào tạo",
            "Ministry of Education and Training",
            "QĐ-BGDĐT",
        ),
        ("bo-y-te", "khac", "Bộ Y tế", "Ministry of Health", "QĐ-BYT"),
    ):
        add(Agency(agency_id, name, name_en, kind, code=code, area="toàn quốc", area_en="Viet Nam"))

    # Departments: (id, name, English name, code, fields, valid_to, successor)
    departments = (
        ("van-phong-ubnd-tinh", "Văn phòng UBND tỉnh", "Office of the Provincial People's Committee", "QĐ-VP", ("cai-cach-hanh-chinh", "chuyen-doi-so"), None, None),
        ("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "QĐ-SNV", ("cai-cach-hanh-chinh", "lao-dong-xa-hoi"), None, None),
        ("so-tu-phap", "Sở Tư pháp", "Department of Justice", "QĐ-STP", ("tu-phap",), None, None),
        ("so-tai-chinh", "Sở Tài chính", "Department of Finance", "QĐ-STC", ("tai-chinh-ngan-sach",), None, None),
        ("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", "QĐ-SKHĐT", ("tai-chinh-ngan-sach", "cai-cach-hanh-chinh"), DEPT_MERGE_END, "so-tai-chinh"),
        ("so-khcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "QĐ-SKHCN", ("khoa-hoc-cong-nghe", "chuyen-doi-so"), None, None),
        ("so-tttt", "Sở Thông tin và Truyền thông", "Department of Information and Communications", "QĐ-STTTT", ("chuyen-doi-so",), DEPT_MERGE_END, "so-khcn"),
        ("so-gddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "QĐ-SGDĐT", ("giao-duc-dao-tao",), None, None),
        ("so-y-te", "Sở Y tế", "Department of Health", "QĐ-SYT", ("y-te",), None, None),
        ("so-nn-ptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Department of Agriculture and Rural Development", "QĐ-SNN", ("nong-nghiep",), DEPT_MERGE_END, "so-nn-mt"),
        ("so-tn-mt", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment", "QĐ-STNMT", ("tai-nguyen-moi-truong",), DEPT_MERGE_END, "so-nn-mt"),
        ("so-nn-mt", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "QĐ-SNNMT", ("nong-nghiep", "tai-nguyen-moi-truong"), None, None),
        ("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs", "QĐ-SLĐTBXH", ("lao-dong-xa-hoi",), DEPT_MERGE_END, "so-noi-vu"),
        ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism", "QĐ-SVHTTDL", ("van-hoa-du-lich",), None, None),
        ("so-xay-dung", "Sở Xây dựng", "Department of Construction", "QĐ-SXD", ("xay-dung-giao-thong",), None, None),
        ("so-gtvt", "Sở Giao thông vận tải", "Department of Transport", "QĐ-SGTVT", ("xay-dung-giao-thong",), DEPT_MERGE_END, "so-xay-dung"),
        ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade", "QĐ-SCT", ("khoa-hoc-cong-nghe", "nong-nghiep"), None, None),
        ("cong-an-tinh", "Công an tỉnh Quảng Ngãi", "Quang Ngai Provincial Police", "QĐ-CAT", ("quoc-phong-an-ninh",), None, None),
    )  # fmt: skip
    for agency_id, name, name_en, code, fields, valid_to, _ in departments:
        add(
            Agency(
                agency_id,
                name,
                name_en,
                "so-ban-nganh",
                parent=PROVINCE,
                valid_to=valid_to,
                valid_from=DEPT_MERGE_START if agency_id == "so-nn-mt" else None,
                code=code,
                fields=fields,
                positions=_DEPT_POSITIONS,
                email=f"{code.split('-')[1].lower()}@quangngai.gov.vn".replace("đ", "d"),
                owner_weight=2.0,
            )
        )
    for agency_id, name, name_en, code, parent, fields, positions in (
        ("trung-tam-phuc-vu-hcc", "Trung tâm Phục vụ hành chính công tỉnh", "Provincial Public Administration Service Centre", "QĐ-TTPVHCC", "van-phong-ubnd-tinh", ("cai-cach-hanh-chinh", "chuyen-doi-so"), _SERVICE_POSITIONS),
        ("benh-vien-da-khoa-tinh", "Bệnh viện Đa khoa tỉnh Quảng Ngãi", "Quang Ngai General Hospital", "QĐ-BVĐK", "so-y-te", ("y-te",), _HOSPITAL_POSITIONS),
        ("trung-tam-kiem-soat-benh-tat", "Trung tâm Kiểm soát bệnh tật tỉnh", "Provincial Centre for Disease Control", "QĐ-KSBT", "so-y-te", ("y-te",), _HOSPITAL_POSITIONS),
        ("truong-thpt-chuyen-le-khiet", "Trường THPT chuyên Lê Khiết", "Le Khiet High School for the Gifted", "QĐ-THPT", "so-gddt", ("giao-duc-dao-tao",), _SCHOOL_POSITIONS),
    ):  # fmt: skip
        add(
            Agency(
                agency_id,
                name,
                name_en,
                "don-vi-su-nghiep",
                parent=parent,
                code=code,
                fields=fields,
                positions=positions,
                owner_weight=1.5,
            )
        )

    # Districts (ceased 30/06/2025) and the communes, wards and special zone that took over.
    districts = (
        ("ubnd-tp-quang-ngai", "thành phố", "Quảng Ngãi", "City", (("phuong", "Cẩm Thành"), ("phuong", "Nghĩa Lộ"), ("phuong", "Trương Quang Trọng"))),
        ("ubnd-tx-duc-pho", "thị xã", "Đức Phổ", "Town", (("phuong", "Đức Phổ"), ("phuong", "Sa Huỳnh"))),
        ("ubnd-huyen-binh-son", "huyện", "Bình Sơn", "District", (("xa", "Bình Sơn"), ("xa", "Vạn Tường"))),
        ("ubnd-huyen-son-tinh", "huyện", "Sơn Tịnh", "District", (("xa", "Sơn Tịnh"), ("xa", "Thọ Phong"))),
        ("ubnd-huyen-tu-nghia", "huyện", "Tư Nghĩa", "District", (("xa", "Tư Nghĩa"), ("xa", "Nghĩa Giang"))),
        ("ubnd-huyen-nghia-hanh", "huyện", "Nghĩa Hành", "District", (("xa", "Nghĩa Hành"),)),
        ("ubnd-huyen-mo-duc", "huyện", "Mộ Đức", "District", (("xa", "Mộ Đức"), ("xa", "Long Phụng"))),
        ("ubnd-huyen-ba-to", "huyện", "Ba Tơ", "District", (("xa", "Ba Tơ"),)),
        ("ubnd-huyen-minh-long", "huyện", "Minh Long", "District", (("xa", "Minh Long"),)),
        ("ubnd-huyen-son-ha", "huyện", "Sơn Hà", "District", (("xa", "Sơn Hà"),)),
        ("ubnd-huyen-son-tay", "huyện", "Sơn Tây", "District", (("xa", "Sơn Tây"),)),
        ("ubnd-huyen-tra-bong", "huyện", "Trà Bồng", "District", (("xa", "Trà Bồng"),)),
        ("ubnd-huyen-ly-son", "huyện", "Lý Sơn", "District", (("dac-khu", "Lý Sơn"),)),
    )  # fmt: skip
    # Old communes that also ceased, with the new unit that absorbed them.
    old_communes = (
        ("ubnd-huyen-son-tinh", "xa", "Tịnh Phong", "ubnd-xa-tho-phong"),
        ("ubnd-huyen-binh-son", "xa", "Bình Châu", "ubnd-xa-van-tuong"),
        ("ubnd-huyen-tu-nghia", "xa", "Nghĩa Kỳ", "ubnd-xa-nghia-giang"),
        ("ubnd-huyen-mo-duc", "xa", "Đức Tân", "ubnd-xa-mo-duc"),
        ("ubnd-tp-quang-ngai", "phuong", "Trần Phú", "ubnd-phuong-cam-thanh"),
        ("ubnd-tx-duc-pho", "phuong", "Phổ Thạnh", "ubnd-phuong-sa-huynh"),
    )
    unit_words = {
        "xa": ("xã", "Commune", "ubnd-xa"),
        "phuong": ("phường", "Ward", "ubnd-phuong"),
        "dac-khu": ("đặc khu", "Special Zone", "dac-khu"),
    }
    by_id: dict[str, Agency] = {}
    for agency_id, word, place, word_en, successors in districts:
        district = add(
            Agency(
                agency_id,
                f"UBND {word} {place}",
                f"{_ascii(place)} {word_en} People's Committee",
                "ubnd-huyen",
                parent=PROVINCE,
                valid_to=DISTRICTS_END,
                area=f"{word} {place}",
                area_en=f"{_ascii(place)} {word_en.lower()}",
                positions=_DISTRICT_POSITIONS,
                email=f"vanphong.{_slug(place).replace('-', '')}@quangngai.gov.vn",
                owner_weight=3.0,
            )
        )
        by_id[agency_id] = district
        for unit, new_place in successors:
            vi_word, en_word, kind = unit_words[unit]
            new_id = f"{'dac-khu' if unit == 'dac-khu' else 'ubnd-' + unit}-{_slug(new_place)}"
            new = add(
                Agency(
                    new_id,
                    f"UBND {vi_word} {new_place}",
                    f"{_ascii(new_place)} {en_word} People's Committee",
                    kind,
                    parent=PROVINCE,
                    valid_from=COMMUNES_START,
                    area=f"{vi_word} {new_place}",
                    area_en=f"{_ascii(new_place)} {en_word.lower()}",
                    positions=_NEW_COMMUNE_POSITIONS,
                    email=f"ubnd.{_slug(new_place).replace('-', '')}@quangngai.gov.vn",
                    owner_weight=1.0 if unit == "dac-khu" else 2.0,
                )
            )
            by_id[new_id] = new
            district.successors.append(new_id)
            new.predecessors.append(agency_id)
    for district_id, unit, place, successor_id in old_communes:
        vi_word, en_word, kind = unit_words[unit]
        old = add(
            Agency(
                f"ubnd-{unit}-{_slug(place)}",
                f"UBND {vi_word} {place}",
                f"{_ascii(place)} {en_word} People's Committee",
                kind,
                parent=district_id,
                valid_to=DISTRICTS_END,
                successors=[successor_id],
                area=f"{vi_word} {place}, {by_id[district_id].area}",
                area_en=f"{_ascii(place)} {en_word.lower()}",
                positions=_COMMUNE_POSITIONS,
                owner_weight=1.5,
            )
        )
        by_id[successor_id].predecessors.append(old.id)

    result = {agency.id: agency for agency in agencies}
    # Departments merged on 01/03/2025: link both ways.
    for agency_id, *_rest, successor in departments:
        if successor:
            result[agency_id].successors.append(successor)
            result[successor].predecessors.append(agency_id)
    return result


def current_agency(agencies: dict[str, Agency], agency_id: str) -> Agency:
    """Follow successors until an agency that still exists (the contact point today)."""
    agency = agencies[agency_id]
    while agency.valid_to is not None and agency.successors:
        agency = agencies[agency.successors[0]]
    return agency


# ---------------------------------------------------------------------------
# Field taxonomy and topics
# ---------------------------------------------------------------------------

FIELDS = (
    ("cai-cach-hanh-chinh", "Cải cách hành chính", "Administrative reform"),
    ("chuyen-doi-so", "Chuyển đổi số", "Digital transformation"),
    ("giao-duc-dao-tao", "Giáo dục và đào tạo", "Education and training"),
    ("y-te", "Y tế", "Health"),
    ("nong-nghiep", "Nông nghiệp và phát triển nông thôn", "Agriculture and rural development"),
    ("tai-nguyen-moi-truong", "Tài nguyên và môi trường", "Natural resources and environment"),
    ("tai-chinh-ngan-sach", "Tài chính - ngân sách", "Public finance"),
    ("tu-phap", "Tư pháp - hộ tịch", "Justice and civil registration"),
    ("lao-dong-xa-hoi", "Lao động và an sinh xã hội", "Labour and social security"),
    ("van-hoa-du-lich", "Văn hóa, thể thao và du lịch", "Culture, sports and tourism"),
    ("xay-dung-giao-thong", "Xây dựng và giao thông", "Construction and transport"),
    ("khoa-hoc-cong-nghe", "Khoa học và công nghệ", "Science and technology"),
    ("quoc-phong-an-ninh", "Quốc phòng, an ninh và trật tự", "Defence, security and public order"),
)

# field -> (object phrase, English object phrase, tags)
TOPICS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "cai-cach-hanh-chinh": (
        ("tiếp nhận và trả kết quả hồ sơ tại Bộ phận Một cửa", "receiving applications and returning results at the one-stop desk", ("mot-cua", "tthc")),
        ("hướng dẫn thủ tục hành chính bằng mã QR", "QR-code guidance on administrative procedures", ("qr", "tthc")),
        ("giải quyết hồ sơ liên thông giữa các cấp", "processing joined-up applications across levels", ("lien-thong", "tthc")),
        ("lấy ý kiến đánh giá sự hài lòng của người dân", "citizen satisfaction surveys", ("hai-long", "mot-cua")),
        ("nhắc hẹn trả kết quả qua tin nhắn", "reminders for collecting results by text message", ("tin-nhan", "tthc")),
        ("sắp xếp, lưu trữ hồ sơ hành chính", "filing and archiving administrative records", ("luu-tru",)),
    ),
    "chuyen-doi-so": (
        ("quản lý văn bản và điều hành trên môi trường mạng", "managing documents and direction online", ("van-ban-dien-tu",)),
        ("nộp hồ sơ trực tuyến trên Cổng Dịch vụ công", "online submission on the public service portal", ("dvctt", "dich-vu-cong")),
        ("thanh toán không dùng tiền mặt", "cashless payment", ("thanh-toan-dien-tu",)),
        ("sử dụng chữ ký số của cán bộ, công chức", "use of digital signatures by civil servants", ("chu-ky-so",)),
        ("hỗ trợ người dân sử dụng dịch vụ công qua nhóm Zalo", "helping citizens use public services through Zalo groups", ("zalo", "to-cong-nghe-so")),
        ("bản đồ số các điểm phục vụ người dân", "a digital map of citizen service points", ("ban-do-so", "gis")),
    ),
    "giao-duc-dao-tao": (
        ("dạy học theo dự án cho học sinh trung học", "project-based learning for secondary students", ("day-hoc", "stem")),
        ("ôn tập trực tuyến cho học sinh lớp 12", "online revision for grade 12 students", ("on-thi", "truc-tuyen")),
        ("quản lý hồ sơ học sinh bằng sổ điện tử", "electronic student records", ("so-dien-tu",)),
        ("giáo dục kỹ năng phòng, chống đuối nước", "drowning prevention education", ("ky-nang-song",)),
        ("câu lạc bộ tiếng Anh cho học sinh vùng khó khăn", "English clubs for students in disadvantaged areas", ("tieng-anh", "vung-kho-khan")),
    ),
    "y-te": (
        ("đặt lịch khám bệnh qua điện thoại thông minh", "booking medical appointments by smartphone", ("dat-lich-kham", "benh-vien")),
        ("quản lý người bệnh tăng huyết áp tại trạm y tế", "managing hypertension patients at health stations", ("tang-huyet-ap", "y-te-co-so")),
        ("sàng lọc sớm bệnh đái tháo đường", "early diabetes screening", ("dai-thao-duong", "sang-loc")),
        ("cấp phát thuốc theo mã vạch", "barcode-based drug dispensing", ("ma-vach", "duoc")),
        ("lập hồ sơ sức khỏe điện tử", "electronic health records", ("ho-so-suc-khoe",)),
    ),
    "nong-nghiep": (
        ("ghi chép nhật ký mùa vụ điện tử", "electronic crop diaries", ("mua-vu",)),
        ("truy xuất nguồn gốc sản phẩm OCOP", "traceability of OCOP products", ("ocop", "truy-xuat")),
        ("phòng, chống dịch bệnh trên đàn gia súc", "livestock disease prevention", ("thu-y", "chan-nuoi")),
        ("tưới tiết kiệm nước cho cây trồng cạn", "water-saving irrigation for upland crops", ("tuoi-tiet-kiem",)),
        ("quản lý tàu cá bằng thiết bị giám sát hành trình", "managing fishing vessels with voyage monitoring", ("tau-ca", "iuu")),
    ),
    "tai-nguyen-moi-truong": (
        ("phân loại rác thải sinh hoạt tại nguồn", "sorting household waste at source", ("rac-thai", "phan-loai")),
        ("cấp giấy chứng nhận quyền sử dụng đất lần đầu", "issuing first-time land use certificates", ("dat-dai",)),
        ("số hóa hồ sơ địa chính", "digitising cadastral records", ("dia-chinh", "so-hoa")),
        ("giám sát chất lượng nước mặt", "surface water quality monitoring", ("quan-trac",)),
        ("xử lý phụ phẩm nông nghiệp thành phân bón hữu cơ", "turning farm by-products into organic fertiliser", ("phan-bon", "kinh-te-tuan-hoan")),
    ),
    "tai-chinh-ngan-sach": (
        ("lập dự toán ngân sách cấp xã", "preparing commune budget estimates", ("du-toan", "ngan-sach")),
        ("đối chiếu số liệu kế toán với Kho bạc Nhà nước", "reconciling accounts with the State Treasury", ("kho-bac", "ke-toan")),
        ("quản lý tài sản công bằng phần mềm", "managing public assets with software", ("tai-san-cong",)),
        ("thẩm định quyết toán dự án hoàn thành", "appraising final accounts of completed projects", ("quyet-toan", "dau-tu-cong")),
        ("thu phí, lệ phí qua tài khoản ngân hàng", "collecting fees by bank transfer", ("phi-le-phi",)),
    ),
    "tu-phap": (
        ("đăng ký khai sinh, khai tử liên thông", "joined-up birth and death registration", ("ho-tich", "khai-sinh")),
        ("chứng thực bản sao điện tử từ bản chính", "certifying electronic copies from originals", ("chung-thuc",)),
        ("phổ biến, giáo dục pháp luật qua mạng xã hội", "legal education through social media", ("pho-bien-phap-luat",)),
        ("hòa giải ở cơ sở", "community mediation", ("hoa-giai",)),
        ("tra cứu văn bản quy phạm pháp luật của địa phương", "searching local legal documents", ("vbqppl",)),
    ),
    "lao-dong-xa-hoi": (
        ("chi trả trợ cấp xã hội qua tài khoản", "paying social allowances into bank accounts", ("tro-cap", "an-sinh")),
        ("rà soát hộ nghèo, hộ cận nghèo", "reviewing poor and near-poor households", ("giam-ngheo",)),
        ("kết nối việc làm cho người lao động", "job matching for workers", ("viec-lam",)),
        ("quản lý đối tượng bảo trợ xã hội", "managing social protection beneficiaries", ("bao-tro-xa-hoi",)),
        ("giải quyết chế độ cho người có công", "handling benefits for people with meritorious services", ("nguoi-co-cong",)),
    ),
    "van-hoa-du-lich": (
        ("quảng bá điểm đến du lịch biển đảo", "promoting island and coastal destinations", ("du-lich",)),
        ("thuyết minh di tích bằng mã QR", "QR-code guides to heritage sites", ("di-tich", "qr")),
        ("tủ sách cộng đồng tại nhà văn hóa thôn", "community bookshelves in village halls", ("doc-sach",)),
        ("tổ chức giải thể thao phong trào", "organising community sports tournaments", ("the-thao",)),
        ("bảo tồn văn hóa cồng chiêng của đồng bào Hrê", "preserving the gong culture of the Hre people", ("cong-chieng", "dan-toc")),
    ),
    "xay-dung-giao-thong": (
        ("cấp giấy phép xây dựng nhà ở riêng lẻ", "building permits for individual houses", ("giay-phep-xay-dung",)),
        ("giám sát thi công đường giao thông nông thôn", "supervising rural road construction", ("giao-thong-nong-thon",)),
        ("quản lý trật tự xây dựng bằng ảnh vệ tinh", "monitoring building order with satellite images", ("trat-tu-xay-dung",)),
        ("bảo trì đường địa phương theo định kỳ", "scheduled maintenance of local roads", ("bao-tri",)),
        ("tổ chức sát hạch lái xe", "organising driving tests", ("sat-hach",)),
    ),
    "khoa-hoc-cong-nghe": (
        ("quản lý nhiệm vụ khoa học và công nghệ", "managing science and technology projects", ("nhiem-vu-khcn",)),
        ("hỗ trợ doanh nghiệp đăng ký nhãn hiệu", "helping businesses register trademarks", ("so-huu-tri-tue",)),
        ("kiểm định phương tiện đo", "verifying measuring instruments", ("do-luong",)),
        ("kết nối cung cầu công nghệ", "matching technology supply and demand", ("thi-truong-cong-nghe",)),
        ("ươm tạo dự án khởi nghiệp đổi mới sáng tạo", "incubating innovative start-ups", ("khoi-nghiep", "dmst")),
    ),
    "quoc-phong-an-ninh": (
        ("quản lý cư trú bằng dữ liệu dân cư", "residence management with population data", ("cu-tru", "du-lieu-dan-cu")),
        ("lắp đặt camera an ninh tại khu dân cư", "security cameras in residential areas", ("camera", "an-ninh")),
        ("phòng cháy, chữa cháy tại hộ gia đình", "fire prevention in households", ("pccc",)),
        ("tuyển chọn, gọi công dân nhập ngũ", "selecting and calling up conscripts", ("nghia-vu-quan-su",)),
        ("xây dựng tổ tự quản an ninh trật tự", "self-managed neighbourhood security teams", ("an-ninh-trat-tu",)),
    ),
}  # fmt: skip

VERBS = (
    ("Ứng dụng công nghệ số trong", "Using digital technology in"),
    ("Đổi mới", "Renewing"),
    ("Cải tiến", "Improving"),
    ("Chuẩn hóa", "Standardising"),
    ("Nâng cao chất lượng", "Raising the quality of"),
    ("Số hóa quy trình", "Digitising the process of"),
    ("Đơn giản hóa", "Simplifying"),
    ("Tổ chức lại", "Reorganising"),
    ("Rút ngắn thời gian", "Cutting the time for"),
    ("Tăng cường hiệu quả", "Making more effective"),
    ("Triển khai", "Rolling out"),
    ("Xây dựng mô hình", "Building a model for"),
    ("Hiện đại hóa", "Modernising"),
    ("Tự động hóa", "Automating"),
    ("Công khai, minh bạch", "Making transparent"),
    ("Phối hợp liên ngành trong", "Inter-agency coordination in"),
    ("Xã hội hóa", "Mobilising community resources for"),
    ("Kiểm soát chất lượng", "Quality control of"),
    ("Thí điểm", "Piloting"),
    ("Nhân rộng", "Scaling up"),
)
# Who or where an initiative targets; appended to most titles so that titles of one agency
# differ (the validator flags near-identical titles within an agency as SK305).
QUALIFIERS = (
    ("cho người cao tuổi", "for older people"),
    ("cho hộ kinh doanh cá thể", "for household businesses"),
    ("ở vùng đồng bào dân tộc thiểu số", "in ethnic minority areas"),
    ("trong mùa mưa bão", "during the storm season"),
    ("đối với doanh nghiệp nhỏ và vừa", "for small and medium enterprises"),
    ("tại các thôn miền núi", "in mountain villages"),
    ("cho đoàn viên thanh niên", "for youth union members"),
    ("theo hướng lấy người dân làm trung tâm", "putting citizens at the centre"),
    ("gắn với xây dựng nông thôn mới", "as part of new rural development"),
    ("cho người khuyết tật", "for people with disabilities"),
    ("ở các xã bãi ngang ven biển", "in coastal communes"),
    ("cho phụ nữ và trẻ em", "for women and children"),
    ("theo tiêu chuẩn chính quyền số", "to digital government standards"),
    ("trong điều kiện thiếu biên chế", "with a short-staffed team"),
    ("cho lao động đi làm ăn xa", "for migrant workers"),
    ("gắn với chấm điểm thi đua hằng tháng", "tied to monthly emulation scoring"),
)
TOOLS = (
    ("phần mềm dùng chung", "shared software"),
    ("mã QR", "QR codes"),
    ("ứng dụng Zalo", "the Zalo app"),
    ("bảng tính trực tuyến", "online spreadsheets"),
    ("tin nhắn SMS", "text messages"),
    ("hệ thống camera", "a camera system"),
    ("bản đồ số", "a digital map"),
    ("sổ tay hướng dẫn", "a handbook"),
    ("biểu mẫu điện tử", "electronic forms"),
    ("trợ lý ảo", "a virtual assistant"),
    ("cơ sở dữ liệu dùng chung", "a shared database"),
    ("quy trình ISO 9001", "an ISO 9001 process"),
)

PROBLEMS = (
    "Trước khi áp dụng sáng kiến, việc {obj} tại {agency} chủ yếu làm thủ công, mất nhiều thời gian và dễ sai sót.",
    "Mỗi năm đơn vị tiếp nhận khoảng {n_cases} lượt hồ sơ, công việc, trong khi số người trực tiếp xử lý chỉ có {staff} người.",
    "Thông tin giữa các bộ phận chưa được kết nối, người dân phải đi lại nhiều lần để bổ sung giấy tờ.",
    "Việc theo dõi, tổng hợp số liệu phụ thuộc vào sổ sách giấy nên báo cáo thường chậm so với yêu cầu của cấp trên.",
    "Nhiều người dân ở vùng sâu, vùng xa chưa quen sử dụng điện thoại thông minh và dịch vụ công trực tuyến.",
    "Tỷ lệ hồ sơ trễ hạn năm {prev_year} còn ở mức {late_pct}%, ảnh hưởng đến chỉ số hài lòng của người dân.",
    "Các hướng dẫn hiện hành nằm rải rác ở nhiều văn bản, cán bộ mới được phân công rất khó nắm bắt đầy đủ quy trình.",
    "Cơ sở vật chất, trang thiết bị còn hạn chế; đường truyền mạng tại một số điểm chưa ổn định.",
    "Kết quả khảo sát đầu năm {prev_year} cho thấy {unsat_pct}% người được hỏi chưa hài lòng với thời gian chờ đợi.",
    "Số liệu giữa các phần mềm chuyên ngành chưa đồng bộ, phải nhập lại nhiều lần, dễ dẫn đến sai lệch.",
    "Địa bàn {area} rộng, đi lại khó khăn, nhất là vào mùa mưa bão từ tháng 9 đến tháng 12.",
    "Công tác kiểm tra, giám sát chưa thường xuyên; việc phát hiện và tháo gỡ vướng mắc còn chậm.",
    "Chi phí in ấn, sao chụp tài liệu và gửi văn bản giấy mỗi năm lên tới khoảng {old_cost} triệu đồng.",
    "Các quy định mới liên quan đến {obj} thay đổi liên tục, trong khi việc cập nhật cho cán bộ và người dân chưa kịp thời.",
    "Nhiều nhiệm vụ được giao cùng lúc nhưng chưa có công cụ theo dõi tiến độ, dẫn tới bỏ sót hoặc trễ hạn.",
)  # fmt: skip
SOLUTION_INTROS = (
    "Sáng kiến được thiết kế theo hướng đơn giản, dễ làm, tận dụng cơ sở vật chất sẵn có của {agency}. Các bước thực hiện như sau:",
    "Giải pháp tập trung vào {obj}, lấy người dân và doanh nghiệp làm trung tâm. Nội dung chính gồm:",
    "Trên cơ sở phân tích nguyên nhân của những hạn chế nêu trên, nhóm tác giả đề xuất và tổ chức thực hiện các bước sau:",
)  # fmt: skip
SOLUTION_STEPS = (
    "Rà soát toàn bộ quy trình hiện hành, xác định các bước có thể cắt giảm hoặc làm song song.",
    "Xây dựng bộ biểu mẫu thống nhất và hướng dẫn ngắn gọn, dễ hiểu cho từng loại việc.",
    "Ứng dụng {tool} để tiếp nhận, theo dõi và cập nhật tình trạng xử lý theo thời gian thực.",
    "Phân công rõ đầu mối chịu trách nhiệm ở từng khâu, có người dự phòng khi vắng mặt.",
    "Tổ chức tập huấn cho cán bộ, công chức và các tổ công nghệ số cộng đồng ở thôn, tổ dân phố.",
    "Công khai quy trình, thời hạn và kết quả giải quyết trên Trang thông tin điện tử của đơn vị.",
    "Thiết lập kênh tiếp nhận phản ánh, kiến nghị qua đường dây nóng và {tool}.",
    "Định kỳ hằng tháng tổng hợp số liệu, đánh giá kết quả và điều chỉnh quy trình khi cần.",
    "Lồng ghép nội dung tuyên truyền vào các buổi họp thôn, sinh hoạt của Mặt trận và các đoàn thể.",
    "Kết nối, chia sẻ dữ liệu với các phần mềm chuyên ngành để tránh nhập liệu nhiều lần.",
    "Thí điểm tại {pilot_units} đơn vị trong {pilot_months} tháng trước khi áp dụng rộng rãi.",
    "Ban hành quy chế phối hợp giữa các bộ phận liên quan, quy định rõ thời hạn chuyển hồ sơ.",
    "Lập sổ theo dõi điện tử, tự động nhắc việc trước hạn {remind_days} ngày.",
    "Bố trí khu vực hướng dẫn riêng, có công chức hoặc đoàn viên thanh niên hỗ trợ người dân.",
)  # fmt: skip
NOVELTIES = (
    "Lần đầu tiên tại {agency}, toàn bộ việc {obj} được chuẩn hóa và theo dõi bằng {tool}.",
    "Giải pháp kết hợp hướng dẫn trực tiếp với hỗ trợ trực tuyến, phù hợp với điều kiện của người dân địa phương.",
    "Khác với cách làm trước đây, mỗi hồ sơ, nhiệm vụ đều có người chịu trách nhiệm và thời hạn rõ ràng.",
    "Sáng kiến không phát sinh thêm thủ tục, giấy tờ cho người dân, doanh nghiệp.",
    "Cách tổ chức này chưa từng được áp dụng tại đơn vị và các đơn vị cùng cấp trên địa bàn {area}.",
    "Số liệu được cập nhật tự động, lãnh đạo có thể theo dõi tình hình mọi lúc, mọi nơi.",
    "Tận dụng các nền tảng miễn phí, phổ biến nên chi phí triển khai thấp, dễ duy trì.",
)  # fmt: skip
CONDITIONS = (
    "Có máy tính kết nối Internet và {tool}.",
    "Lãnh đạo đơn vị quan tâm, chỉ đạo thống nhất từ đầu.",
    "Cán bộ, công chức được tập huấn cơ bản về kỹ năng số.",
    "Kinh phí thực hiện khoảng {cost} từ nguồn chi thường xuyên.",
    "Có sự phối hợp của Mặt trận, các đoàn thể và trưởng thôn, tổ trưởng tổ dân phố.",
    "Người dân có điện thoại thông minh hoặc được hỗ trợ tại điểm phục vụ.",
    "Đường truyền mạng ổn định tại nơi làm việc.",
)
BENEFITS = (
    "Tiết kiệm khoảng {saving} triệu đồng chi phí in ấn, đi lại mỗi năm.",
    "Mức độ hài lòng của người dân tăng rõ rệt qua các đợt khảo sát.",
    "Cán bộ, công chức chủ động hơn trong công việc, giảm áp lực vào cuối kỳ báo cáo.",
    "Công khai, minh bạch quá trình giải quyết, hạn chế phiền hà, nhũng nhiễu.",
    "Dữ liệu được lưu trữ tập trung, thuận tiện cho tra cứu, thống kê.",
    "Góp phần nâng cao Chỉ số cải cách hành chính (PAR Index) và Chỉ số hài lòng (SIPAS) của tỉnh.",
)  # fmt: skip
CORES = (
    "Mỗi việc có một đầu mối chịu trách nhiệm và thời hạn xử lý được công khai.",
    "Dữ liệu chỉ nhập một lần, các bộ phận dùng chung một nguồn.",
    "Người dân được hướng dẫn đầy đủ ngay từ lần liên hệ đầu tiên.",
    "Kết quả được đo bằng cùng một bộ chỉ số trước và sau khi áp dụng.",
)
ADAPTABLES = (
    "Công cụ cụ thể ({tool} hoặc công cụ tương đương) tùy điều kiện của đơn vị.",
    "Số lượng và thành phần tổ hỗ trợ, lịch trực.",
    "Hình thức tuyên truyền phù hợp với từng thôn, tổ dân phố.",
    "Mẫu biểu, cách trình bày và ngôn ngữ (có thể song ngữ với tiếng dân tộc thiểu số).",
)
RISKS = (
    "Không thu thập dữ liệu cá nhân vượt quá mức cần thiết; tuân thủ Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.",
    "Đường dẫn, mã QR có thể hỏng khi cổng thông tin đổi địa chỉ; cần rà soát định kỳ.",
    "Không để giải pháp làm phát sinh thêm giấy tờ hoặc chi phí cho người dân.",
    "Phụ thuộc vào một vài cá nhân nhiệt tình; cần đưa vào quy chế của đơn vị.",
)  # fmt: skip
STEP_TEMPLATES = (
    ("Khảo sát, đánh giá hiện trạng", "Thống kê khối lượng công việc, thời gian xử lý và những vướng mắc thường gặp.", "Văn phòng"),
    ("Xây dựng quy trình và biểu mẫu", "Soạn quy trình ngắn gọn, biểu mẫu thống nhất; lấy ý kiến các bộ phận liên quan.", "Bộ phận chuyên môn"),
    ("Chuẩn bị trang thiết bị và {tool}", "Kiểm tra máy tính, đường truyền; cài đặt và cấu hình {tool}.", "Bộ phận công nghệ thông tin"),
    ("Tập huấn cán bộ, công chức", "Hướng dẫn thao tác, phân công đầu mối và người dự phòng.", "Văn phòng"),
    ("Áp dụng thử và điều chỉnh", "Áp dụng thử từ {trial_weeks} tuần, ghi nhận góp ý để điều chỉnh quy trình.", "Bộ phận Một cửa"),
    ("Tuyên truyền đến người dân", "Thông báo qua loa truyền thanh, nhóm Zalo thôn và Trang thông tin điện tử.", "Công chức Văn hóa - Xã hội"),
    ("Tổng kết, đánh giá hiệu quả", "So sánh các chỉ số trước và sau khi áp dụng; báo cáo lãnh đạo đơn vị.", "Lãnh đạo đơn vị"),
)  # fmt: skip
PREREQUISITES = (
    "Máy tính kết nối Internet",
    "Tài khoản trên Cổng Dịch vụ công",
    "Chữ ký số cho cán bộ xử lý",
    "Máy in mã QR",
    "Trang thông tin điện tử của đơn vị",
    "Quyết định phân công đầu mối",
    "Loa truyền thanh cơ sở",
)
# (indicator, unit, baseline range, result as fraction of baseline or target range, integer?)
METRICS_DOWN = (
    ("Thời gian giải quyết một hồ sơ", "ngày", (5, 20)),
    ("Thời gian chờ đợi trung bình", "phút", (20, 90)),
    ("Thời gian tổng hợp báo cáo tháng", "giờ", (8, 40)),
    ("Thời gian tra cứu thông tin", "phút", (10, 30)),
    ("Số hồ sơ trễ hạn mỗi quý", "hồ sơ", (20, 150)),
    ("Số lượt người dân phải đi lại bổ sung hồ sơ", "lượt", (50, 400)),
    ("Chi phí in ấn, văn phòng phẩm mỗi tháng", "đồng", (3_000_000, 20_000_000)),
)
METRICS_UP = (
    ("Tỷ lệ hồ sơ nộp trực tuyến", "%", (5, 40), (60, 95)),
    ("Tỷ lệ người dân hài lòng", "%", (60, 85), (90, 99)),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn", "%", (70, 92), (95, 100)),
    ("Số người dân được hướng dẫn, hỗ trợ mỗi tháng", "người", (50, 200), (250, 900)),
)
METHODS = (
    "Thống kê từ phần mềm một cửa điện tử",
    "Khảo sát {n} người dân",
    "Bấm giờ {n} lượt giao dịch",
    "Số liệu sổ theo dõi của đơn vị",
    "Báo cáo định kỳ gửi cấp trên",
)
FAMILY = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Võ", "Võ",
    "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lương", "Đoàn", "Tạ",
)  # fmt: skip
MIDDLE_M = ("Văn", "Văn", "Minh", "Quốc", "Đức", "Thanh", "Hữu", "Ngọc", "Công", "Xuân", "Đình")
MIDDLE_F = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hồng")
GIVEN_M = (
    "Minh", "Hùng", "Dũng", "Tuấn", "Hải", "Long", "Phong", "Sơn", "Nam", "Hiếu", "Quang",
    "Trung", "Khoa", "Bảo", "Tâm", "Thắng", "Nhân", "Lộc", "Vũ", "Cường",
)  # fmt: skip
GIVEN_F = (
    "Lan", "Hoa", "Hương", "Mai", "Trang", "Thảo", "Linh", "Ngân", "Nhung", "Yến", "Hạnh",
    "Duyên", "Vy", "Oanh", "Phượng", "Thủy", "Ánh", "Hằng",
)  # fmt: skip
ADOPTION_RESULTS = (
    "Giảm {pct}% thời gian xử lý",
    "Tăng {pct}% tỷ lệ hồ sơ trực tuyến",
    "Người dân phản hồi tích cực",
    "Đang theo dõi, đánh giá",
)
NOT_RECOGNIZED_NOTES = (
    "Chưa chứng minh được hiệu quả áp dụng thực tế.",
    "Giải pháp còn ở mức ý tưởng, chưa áp dụng thử.",
    "Trùng với giải pháp đã được áp dụng tại đơn vị.",
)
REVOCATION_REASONS = (
    "Phát hiện trùng với sáng kiến đã được công nhận trước đó.",
    "Tác giả đề nghị rút công nhận do kê khai chưa chính xác.",
)
LEGAL_NOTES = (
    "Quy chế xét công nhận sáng kiến của đơn vị",
    "Quy định của Luật Khoa học, công nghệ và đổi mới sáng tạo 2025",
)


# ---------------------------------------------------------------------------
# Record generation
# ---------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _vn_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _split_pct(rng: random.Random, n: int) -> list[int]:
    """n integer shares summing to 100, the first author's the largest."""
    if n == 1:
        return [100]
    cuts = sorted(rng.sample(range(5, 96, 5), n - 1))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    shares.sort(reverse=True)
    return shares


@dataclass
class _Decision:
    number: str
    day: date


class Synth:
    """Builds initiative records one by one from a single seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.agencies = build_agencies()
        self.owners = [a for a in self.agencies.values() if a.owner_weight > 0]
        self.field_names = {fid: name for fid, name, _ in FIELDS}
        # Decisions recognise initiatives in batches: (issuer, year) -> a few decisions.
        self.batches: dict[tuple[str, int], list[_Decision]] = {}
        self.ids: list[str] = []
        self._owner_cache: dict[int, tuple[list[Agency], list[float]]] = {}
        # (agency lineage, object, distinguishing tail) of every title so far
        self.title_keys: set[tuple[str, str, str]] = set()

    # -- helpers ---------------------------------------------------------------------

    def _window(self, agency: Agency, year: int) -> tuple[date, date] | None:
        """Dates in `year` on which `agency` can issue a co-so decision, if any."""
        lo = date(year, 1, 1)
        hi = min(date(year, 12, 31), TODAY)
        if agency.valid_from:
            # A new unit needs a few months of work before its first recognition round.
            lo = max(lo, agency.valid_from + timedelta(days=75))
        if agency.valid_to:
            hi = min(hi, agency.valid_to)
        return (lo, hi) if (hi - lo).days >= 30 else None

    def _owners_for(self, year: int) -> tuple[list[Agency], list[float]]:
        if year not in self._owner_cache:
            owners = [a for a in self.owners if self._window(a, year)]
            self._owner_cache[year] = (owners, [a.owner_weight for a in owners])
        return self._owner_cache[year]

    def _batch(self, issuer: Agency, year: int, lo: date, hi: date) -> list[_Decision]:
        key = (issuer.id, year)
        if key not in self.batches:
            rng = self.rng
            days = sorted({_between(rng, lo, hi) for _ in range(rng.randint(1, 3))})
            numbers = sorted(rng.sample(range(20, 3600), len(days)))
            self.batches[key] = [
                _Decision(f"{n}/{issuer.code}", d) for n, d in zip(numbers, days, strict=True)
            ]
        return self.batches[key]

    def _later_decision(self, issuer: Agency, after: date) -> _Decision | None:
        """A batch decision of `issuer` some months after `after`, or None if past TODAY."""
        year = after.year + self.rng.choice((0, 1, 1, 1, 2))
        if year > TODAY.year:
            return None
        hi = date(year, 12, 31) if year < TODAY.year else TODAY
        batch = self._batch(issuer, year, date(year, 1, 15), hi)
        options = [d for d in batch if d.day >= after + timedelta(days=90)]
        return options[0] if options else None

    def _name(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"

    # -- one record ------------------------------------------------------------------

    def record(self, year: int, seq: int) -> dict[str, Any]:
        """Build the initiative QNG-<year>-<seq>."""
        rng = self.rng
        agencies = self.agencies
        initiative_id = f"{PREFIX}-{year}-{seq:04d}"

        owners, weights = self._owners_for(year)
        agency = rng.choices(owners, weights)[0]
        lo, hi = self._window(agency, year)  # type: ignore[misc]

        # Outcome of the basic (co-so) round: most pass, some fail, a few are still drafts.
        roll = rng.random()
        outcome = "draft" if roll < 0.01 else "khong-dat" if roll < 0.08 else "dat"

        recognitions: list[dict[str, Any]] = []
        if outcome == "draft":
            first_decision_day = _between(rng, lo, hi)
        else:
            decision = rng.choice(self._batch(agency, year, lo, hi))
            first_decision_day = decision.day
            if outcome == "dat" and rng.random() < 0.04:
                # Asked to supplement first, in an earlier decision of the same year.
                earlier = first_decision_day - timedelta(days=rng.randint(20, 45))
                if earlier >= lo:
                    recognitions.append(
                        {
                            "level": "co-so",
                            "kind": "cong-nhan",
                            "outcome": "bo-sung",
                            "decision_no": f"{rng.randint(10, 3000)}/{agency.code}",
                            "decision_date": earlier,
                            "issuer": agency.id,
                            "note": "Hội đồng đề nghị bổ sung số liệu đo lường.",
                        }
                    )
            co_so: dict[str, Any] = {
                "level": "co-so",
                "kind": "cong-nhan",
                "outcome": outcome,
                "decision_no": decision.number,
                "decision_date": decision.day,
                "issuer": agency.id,
            }
            if rng.random() < 0.4:
                co_so["score"] = rng.randint(50, 69) if outcome != "dat" else rng.randint(70, 98)
            if outcome == "khong-dat":
                co_so["note"] = rng.choice(NOT_RECOGNIZED_NOTES)
            recognitions.append(co_so)
        earliest = recognitions[0]["decision_date"] if recognitions else first_decision_day

        # First (trial) application: before every decision, within the one-year claim window,
        # and not before the owning agency existed.
        max_lead = 330
        if agency.valid_from:
            max_lead = min(max_lead, (earliest - agency.valid_from).days)
        first_applied = earliest - timedelta(days=rng.randint(45, max(45, max_lead)))

        # Higher levels, only on top of an earlier basic "dat".
        provincial = None
        if outcome == "dat":
            sector_issuer = {"y-te": "bo-y-te", "giao-duc-dao-tao": "bo-gddt"}
            if agency.fields and agency.fields[0] in sector_issuer and rng.random() < 0.05:
                ministry = agencies[sector_issuer[agency.fields[0]]]
                later = self._later_decision(ministry, first_decision_day)
                if later:
                    recognitions.append(self._recognition("bo-nganh", "dat", later, ministry))
            if rng.random() < 0.16:
                later = self._later_decision(agencies[PROVINCE], first_decision_day)
                if later:
                    tinh_outcome = "dat" if rng.random() < 0.88 else "khong-dat"
                    rec = self._recognition("tinh", tinh_outcome, later, agencies[PROVINCE])
                    recognitions.append(rec)
                    if tinh_outcome == "dat":
                        provincial = later.day
                        if rng.random() < 0.06:
                            national = self._later_decision(agencies["bo-khcn"], later.day)
                            if national:
                                recognitions.append(
                                    self._recognition(
                                        "toan-quoc", "dat", national, agencies["bo-khcn"]
                                    )
                                )
        recognitions.sort(key=lambda r: r["decision_date"])
        last_decision = recognitions[-1]["decision_date"] if recognitions else first_decision_day

        # Specialised units work mostly in their own fields, but every unit also reforms its
        # procedures and goes digital.
        if agency.fields and rng.random() < 0.75:
            field_id = rng.choice(agency.fields)
        elif agency.fields:
            field_id = rng.choice(("cai-cach-hanh-chinh", "chuyen-doi-so"))
        else:
            field_id = rng.choice(FIELDS)[0]
        # Re-draw the title a few times if this agency's lineage already has one that differs
        # only in the verb: real registries rarely hold such near-duplicates.
        lineage = current_agency(agencies, agency.id).id
        for _ in range(20):
            obj, obj_en, topic_tags = rng.choice(TOPICS[field_id])
            tool, tool_en = rng.choice(TOOLS)
            verb, verb_en = rng.choice(VERBS)
            title, title_en, tail = self._title(
                verb, verb_en, obj, obj_en, tool, tool_en, agency, year
            )
            key = (lineage, obj, tail)
            if key not in self.title_keys:
                break
        self.title_keys.add(key)
        fields = [field_id]
        if rng.random() < 0.3:
            extra = rng.choice(("chuyen-doi-so", "cai-cach-hanh-chinh", rng.choice(FIELDS)[0]))
            if extra != field_id:
                fields.append(extra)

        names = self._slots(agency, obj, tool, year)

        metrics = self._metrics(first_applied, earliest)
        adoptions = self._adoptions(agency, first_decision_day, provincial, outcome, obj)

        problem_sents = rng.sample(PROBLEMS, 4)
        problem = (
            " ".join(s.format(**names) for s in problem_sents[:2])
            + "\n\n"
            + " ".join(s.format(**names) for s in problem_sents[2:])
            + "\n"
        )
        steps_text = rng.sample(SOLUTION_STEPS, rng.randint(3, 5))
        solution = (
            rng.choice(SOLUTION_INTROS).format(**names)
            + "\n\n"
            + "".join(f"{i}. {s.format(**names)}\n" for i, s in enumerate(steps_text, 1))
        )
        novelty = " ".join(s.format(**names) for s in rng.sample(NOVELTIES, 2)) + "\n"
        conditions = "".join(
            f"- {s.format(**names)}\n" for s in rng.sample(CONDITIONS, rng.randint(2, 3))
        )
        benefit_lines = [_metric_sentence(m) for m in metrics]
        benefit_lines += [s.format(**names) for s in rng.sample(BENEFITS, 1)]
        benefits = "Theo tác giả:\n\n" + "".join(f"- {s}\n" for s in benefit_lines)
        if adoptions:
            benefits += (
                f"\nSau khi công nhận, mô hình đã được {len(adoptions)} đơn vị học tập, "
                "áp dụng và có phản hồi tích cực.\n"
            )

        summary = (
            f"{problem_sents[0].format(**names)} "
            f"Sáng kiến {_lower_first(verb)} {obj} bằng {tool}. {benefit_lines[0]}"
        )
        if len(summary) > 600:
            summary = summary[:597].rsplit(" ", 1)[0] + "..."

        n_authors = rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]
        shares = _split_pct(rng, n_authors)
        with_pct = rng.random() < 0.85
        authors = []
        for i in range(n_authors):
            author: dict[str, Any] = {
                "name": self._name(),
                "position": rng.choice(agency.positions),
            }
            if with_pct:
                author["contribution_pct"] = shares[i]
            authors.append(author)

        rec: dict[str, Any] = {"id": initiative_id, "title": title}
        if title_en:
            rec["title_en"] = title_en
        rec["summary"] = summary
        types = ["tac-nghiep", "quan-ly", "ky-thuat", "ung-dung-tien-bo-ky-thuat"]
        solution_types = [rng.choices(types, (45, 35, 10, 10))[0]]
        if rng.random() < 0.15:
            second = rng.choice(types)
            if second not in solution_types:
                solution_types.append(second)
        rec["solution_types"] = solution_types
        rec["fields"] = fields
        rec["tags"] = list(
            dict.fromkeys(
                [*topic_tags, *rng.sample(("so-hoa", "nhan-rong", "cap-xa", "nguoi-dan"), 1)]
            )
        )
        rec["agency"] = agency.id
        rec["agency_name_at_time"] = agency.name
        rec["authors"] = authors
        if rng.random() < 0.5:
            rec["investor"] = agency.id
        rec["first_applied"] = first_applied
        rec["first_applied_kind"] = "ap-dung-thu" if rng.random() < 0.4 else "ap-dung"
        if rng.random() < 0.03:
            rec["legal_basis"] = "other"
            rec["legal_basis_note"] = rng.choice(LEGAL_NOTES)
        else:
            rec["legal_basis"] = "nd-13-2012"
        rec["problem"] = problem
        rec["solution"] = solution
        rec["novelty"] = novelty
        rec["conditions"] = conditions
        rec["benefits"] = benefits
        rec["metrics"] = metrics
        rec["recognitions"] = recognitions
        if outcome == "dat" and rng.random() < 0.004:
            revoked_day = min(last_decision + timedelta(days=rng.randint(30, 300)), TODAY)
            issuer = (
                current_agency(agencies, agency.id)
                if revoked_day > (agency.valid_to or TODAY)
                else agency
            )
            rec["revoked"] = {
                "decision_no": f"{rng.randint(10, 3000)}/{issuer.code}",
                "decision_date": revoked_day,
                "reason": rng.choice(REVOCATION_REASONS),
            }
        rec["replication"] = self._replication(agency, outcome, provincial, adoptions, names, tool)
        rec["adoptions"] = adoptions
        if rng.random() < 0.05:
            rec["attachments"] = [
                {
                    "title": "Quyết định công nhận sáng kiến",
                    "kind": "quyet-dinh",
                    "url": f"https://sangkien.example/{initiative_id}/quyet-dinh.pdf",
                }
            ]
        if self.ids and rng.random() < 0.12:
            related = rng.sample(self.ids[-2000:], min(len(self.ids), rng.randint(1, 2)))
            rec["related"] = sorted(set(related))
        if field_id in ("cai-cach-hanh-chinh", "tu-phap") and rng.random() < 0.2:
            rec["procedures"] = [
                {"code": f"1.00{rng.randint(1000, 9999)}", "name": rng.choice(_PROCEDURE_NAMES)}
            ]
        latest = max(
            [last_decision, first_applied, *(a["since"] for a in adoptions)]
            + ([rec["revoked"]["decision_date"]] if "revoked" in rec else [])
        )
        rec["provenance"] = {
            "sample": True,
            "source": f"Dữ liệu tổng hợp, sinh tự động bởi benchmarks/synth.py (seed {self.seed})",
            # Reviewed within the last two years, so `validate` raises no staleness warning.
            "last_reviewed": _between(rng, max(latest, TODAY - timedelta(days=700)), TODAY),
        }
        self.ids.append(initiative_id)
        return rec

    def _recognition(
        self, level: str, outcome: str, decision: _Decision, issuer: Agency
    ) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "level": level,
            "kind": "pham-vi-anh-huong",
            "outcome": outcome,
            "decision_no": decision.number,
            "decision_date": decision.day,
            "issuer": issuer.id,
        }
        if self.rng.random() < 0.5:
            rec["score"] = (
                self.rng.randint(75, 96) if outcome == "dat" else self.rng.randint(50, 74)
            )
        return rec

    def _title(
        self,
        verb: str,
        verb_en: str,
        obj: str,
        obj_en: str,
        tool: str,
        tool_en: str,
        agency: Agency,
        year: int,
    ) -> tuple[str, str | None, str]:
        """Return (Vietnamese title, English title or None, what distinguishes it)."""
        rng = self.rng
        form = rng.randrange(5)
        if form == 0:
            vi, en = (
                f"{verb} {obj} tại {agency.name}",
                f"{verb_en} {obj_en} at the {agency.name_en}",
            )
        elif form == 1:
            vi = f"Giải pháp {_lower_first(verb)} {obj} trên địa bàn {agency.area}"
            en = f"A solution for {_lower_first(verb_en)} {obj_en} in {agency.area_en}"
        elif form == 2:
            vi, en = f"{verb} {obj} bằng {tool}", f"{verb_en} {obj_en} with {tool_en}"
        elif form == 3:
            vi = f"Một số giải pháp {_lower_first(verb)} {obj} tại {agency.name}"
            en = f"Measures for {_lower_first(verb_en)} {obj_en} at the {agency.name_en}"
        else:
            vi = f"{verb} {obj} giai đoạn {year - 1}-{year}"
            en = f"{verb_en} {obj_en}, {year - 1}-{year}"
        # What tells this title apart besides verb and object: the tool or the period, and
        # the qualifier.
        tail = tool if form == 2 else str(year) if form == 4 else ""
        if rng.random() < 0.7:
            qualifier, qualifier_en = rng.choice(QUALIFIERS)
            vi, en = f"{vi} {qualifier}", f"{en} {qualifier_en}"
            tail += "|" + qualifier
        return vi, (en if rng.random() < 0.3 else None), tail

    def _slots(self, agency: Agency, obj: str, tool: str, year: int) -> dict[str, Any]:
        rng = self.rng
        return {
            "agency": agency.name,
            "area": agency.area,
            "obj": obj,
            "tool": tool,
            "n_cases": _vn_int(rng.randint(8, 400) * 25),
            "staff": rng.randint(2, 9),
            "prev_year": year - 1,
            "late_pct": rng.randint(4, 25),
            "unsat_pct": rng.randint(12, 45),
            "old_cost": rng.randint(15, 180),
            "pilot_units": rng.randint(2, 5),
            "pilot_months": rng.randint(2, 6),
            "remind_days": rng.randint(1, 3),
            "cost": _vn_int(rng.randint(2, 60) * 500_000) + " đồng",
            "saving": rng.randint(5, 120),
        }

    def _metrics(self, first_applied: date, measured_by: date) -> list[dict[str, Any]]:
        rng = self.rng
        period = f"{first_applied.month:02d}/{first_applied.year} - {measured_by.month:02d}/{measured_by.year}"
        metrics = []
        for _ in range(rng.choices((1, 2, 3), (40, 40, 20))[0]):
            if rng.random() < 0.6:
                indicator, unit, (lo, hi) = rng.choice(METRICS_DOWN)
                baseline = rng.randint(lo, hi)
                if unit == "đồng":
                    baseline = baseline // 100_000 * 100_000
                    result: int | float = int(baseline * rng.uniform(0.2, 0.7)) // 100_000 * 100_000
                elif rng.random() < 0.3:
                    result = round(baseline * rng.uniform(0.15, 0.8), 1)
                else:
                    result = max(0, round(baseline * rng.uniform(0.15, 0.8)))
            else:
                indicator, unit, (lo, hi), (lo2, hi2) = rng.choice(METRICS_UP)
                baseline = rng.randint(lo, hi)
                result = (
                    rng.randint(lo2, hi2) if rng.random() < 0.7 else round(rng.uniform(lo2, hi2), 1)
                )
            if any(m["indicator"] == indicator for m in metrics):
                continue
            metric: dict[str, Any] = {
                "indicator": indicator,
                "unit": unit,
                "baseline": baseline,
                "result": result,
            }
            metric["period"] = period
            metric["method"] = rng.choice(METHODS).format(n=rng.randint(5, 60) * 10)
            metrics.append(metric)
        return metrics

    def _adoptions(
        self, owner: Agency, recognized: date, provincial: date | None, outcome: str, obj: str
    ) -> list[dict[str, Any]]:
        rng = self.rng
        if outcome != "dat":
            return []
        # A provincial recognition needs proof of replication before it, so such records get
        # at least two adoptions dated between the basic and the provincial decision.
        count = rng.randint(2, 4) if provincial else rng.choices((0, 1, 2, 3), (60, 20, 12, 8))[0]
        adoptions: list[dict[str, Any]] = []
        used = {owner.id}
        for _ in range(count):
            if provincial and (provincial - recognized).days > 40:
                since = _between(
                    rng, recognized + timedelta(days=10), provincial - timedelta(days=20)
                )
            else:
                since = recognized + timedelta(days=rng.randint(15, 720))
            if since > TODAY:
                continue
            candidates = [
                a
                for a in self.owners
                if a.id not in used and a.active_on(since) and a.kind != "so-ban-nganh"
            ]
            if not candidates:
                continue
            adopter = rng.choice(candidates)
            used.add(adopter.id)
            adoption: dict[str, Any] = {
                "agency": adopter.id,
                "agency_name_at_time": adopter.name,
                "since": since,
                "stage": rng.choices(("tim-hieu", "thi-diem", "ap-dung", "ngung"), (10, 25, 60, 5))[
                    0
                ],
            }
            if adoption["stage"] in ("ap-dung", "ngung"):
                adoption["result"] = rng.choice(ADOPTION_RESULTS).format(pct=rng.randint(15, 80))
            evidence_day = since + timedelta(days=rng.randint(30, 200))
            if evidence_day <= TODAY:
                code = (
                    "UBND"
                    if adopter.kind.startswith("ubnd") or adopter.kind == "dac-khu"
                    else adopter.code.split("-", 1)[1]
                )
                adoption["evidence"] = (
                    f"Công văn số {rng.randint(5, 2500)}/{code} ngày {_vn_date(evidence_day)}"
                )
            adoptions.append(adoption)
        adoptions.sort(key=lambda a: a["since"])
        return adoptions

    def _replication(
        self,
        agency: Agency,
        outcome: str,
        provincial: date | None,
        adoptions: list[dict[str, Any]],
        names: dict[str, Any],
        tool: str,
    ) -> dict[str, Any]:
        rng = self.rng
        if outcome != "dat":
            readiness = rng.choice(("idea", "pilot"))
        elif provincial:
            readiness = rng.choice(("proven", "packaged", "packaged"))
        else:
            readiness = rng.choice(("pilot", "proven", "proven")) if not adoptions else "proven"
        steps = []
        for title, detail, role in sorted(
            rng.sample(STEP_TEMPLATES, rng.randint(3, 4)), key=STEP_TEMPLATES.index
        ):
            steps.append(
                {
                    "title": title.format(tool=tool),
                    "detail": detail.format(tool=tool, trial_weeks=rng.randint(2, 8)),
                    "duration_days": rng.randint(2, 20),
                    "role": role,
                }
            )
        contact_agency = current_agency(self.agencies, agency.id)
        contact: dict[str, Any] = {
            "role": "Văn phòng HĐND và UBND"
            if contact_agency.kind.startswith("ubnd")
            else "Văn phòng",
            "agency": contact_agency.id,
        }
        if contact_agency.email and rng.random() < 0.6:
            contact["email"] = contact_agency.email
        replication: dict[str, Any] = {
            "readiness": readiness,
            "core": "".join(f"- {s}\n" for s in rng.sample(CORES, rng.randint(1, 2))),
            "adaptable": "".join(f"- {s.format(tool=tool)}\n" for s in rng.sample(ADAPTABLES, 2)),
            "prerequisites": rng.sample(PREREQUISITES, rng.randint(1, 3)),
            "steps": steps,
            "cost_vnd": rng.randint(0, 80) * 500_000,
            "lead_time_days": sum(s["duration_days"] for s in steps) + rng.randint(0, 30),
        }
        if rng.random() < 0.6:
            replication["risks"] = rng.choice(RISKS) + "\n"
        replication["contact"] = contact
        return replication


_PROCEDURE_NAMES = (
    "Đăng ký khai sinh",
    "Đăng ký khai tử",
    "Đăng ký kết hôn",
    "Chứng thực bản sao từ bản chính",
    "Cấp bản sao trích lục hộ tịch",
    "Đăng ký thường trú",
)


def _with_unit(x: float, unit: str) -> str:
    return f"{_fmt_num(x)}%" if unit == "%" else f"{_fmt_num(x)} {unit}"


def _metric_sentence(metric: dict[str, Any]) -> str:
    base, result, unit = metric["baseline"], metric["result"], metric["unit"]
    if result < base:
        return f"{metric['indicator']} giảm từ {_with_unit(base, unit)} xuống còn {_with_unit(result, unit)}."
    return f"{metric['indicator']} tăng từ {_with_unit(base, unit)} lên {_with_unit(result, unit)}."


def _fmt_num(x: float) -> str:
    if isinstance(x, float) and not x.is_integer():
        whole, frac = f"{x:.1f}".split(".")
        return f"{_vn_int(int(whole))},{frac}"
    return _vn_int(int(x))


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def year_counts(count: int) -> dict[int, int]:
    """Split `count` records over `YEARS` by `YEAR_WEIGHTS`, at most 9999 per year."""
    if not 0 <= count <= MAX_PER_YEAR * len(YEARS):
        raise ValueError(f"count must be between 0 and {MAX_PER_YEAR * len(YEARS)}")
    total = sum(YEAR_WEIGHTS)
    counts = {y: count * w // total for y, w in zip(YEARS, YEAR_WEIGHTS, strict=True)}
    # Hand out the remainder to the latest years first, then spill any overflow backwards.
    left = count - sum(counts.values())
    for year in reversed(YEARS):
        if left == 0:
            break
        counts[year] += 1
        left -= 1
    overflow = 0
    for year in reversed(YEARS):
        counts[year] += overflow
        overflow = max(0, counts[year] - MAX_PER_YEAR)
        counts[year] -= overflow
    for year in reversed(YEARS):
        take = min(overflow, MAX_PER_YEAR - counts[year])
        counts[year] += take
        overflow -= take
    return counts


def generate(out: Path, count: int, seed: int = 1, *, overwrite: bool = False) -> None:
    """Write a synthetic registry of `count` initiatives into the folder `out`.

    `out` receives ``initiatives/``, ``agencies/`` and ``taxonomy/``. If ``out/initiatives``
    already holds files, raise FileExistsError unless `overwrite`, which first removes those
    three sub-folders (and nothing else).
    """
    out = Path(out)
    parts = [out / "initiatives", out / "agencies", out / "taxonomy"]
    if (out / "initiatives").exists() and any((out / "initiatives").iterdir()):
        if not overwrite:
            raise FileExistsError(
                f"{out / 'initiatives'} is not empty (use overwrite=True / --force)"
            )
        for part in parts:
            shutil.rmtree(part, ignore_errors=True)
    for part in parts:
        part.mkdir(parents=True, exist_ok=True)

    synth = Synth(seed)
    for agency in synth.agencies.values():
        (out / "agencies" / f"{agency.id}.yml").write_text(
            to_yaml(agency.record(), AGENCY_HEADER), encoding="utf-8"
        )
    fields = [{"id": fid, "name": name, "name_en": name_en} for fid, name, name_en in FIELDS]
    (out / "taxonomy" / "fields.yml").write_text(
        seq_to_yaml(fields, FIELDS_HEADER), encoding="utf-8"
    )

    for year, n in year_counts(count).items():
        if n == 0:
            continue
        folder = out / "initiatives" / str(year)
        folder.mkdir(exist_ok=True)
        for seq in range(1, n + 1):
            rec = synth.record(year, seq)
            (folder / f"{rec['id']}.yml").write_text(
                to_yaml(rec, INITIATIVE_HEADER), encoding="utf-8"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--count", type=int, default=10_000, help="number of initiatives (default 10000)"
    )
    parser.add_argument("--out", type=Path, required=True, help="registry folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--force", action="store_true", help="replace an existing generated registry in --out"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        generate(args.out, args.count, args.seed, overwrite=args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.count} initiatives to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
