"""The interactive `sangkien new` wizard: questions in Vietnamese, taken from the schema.

Every prompt's title, help text, example and choice label is read from the JSON Schema
(`title`, `description`, `examples`, `x-enum-labels`) or from the registry's agency and field
files, so the wizard says exactly what validation will later check. Input and output are
streams, so the tests drive it by feeding text to stdin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from generator.config import Settings
from generator.contrib.record import (
    Draft,
    agency_choices,
    check_year,
    enum_labels,
    field_choices,
    first_example,
    next_free_id,
    prop,
    search,
)
from generator.model import Registry
from generator.text.vn import parse_date_input

# How many numbered choices fit on a terminal screen before we ask for a search word first.
_LIST_MAX = 60


class Prompter:
    """Line-based questions and answers over two text streams."""

    def __init__(self, inp: TextIO, out: TextIO) -> None:
        self.inp = inp
        self.out = out

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline()
        if not line:
            # End of input in the middle of the questions: treated like Ctrl-C, nothing written.
            raise KeyboardInterrupt
        return line.rstrip("\r\n").strip()

    def heading(self, sub: dict[str, Any], fallback: str, required: bool) -> None:
        title = sub.get("title", fallback)
        self.say()
        self.say(f"== {title}{' (bắt buộc)' if required else ' (tuỳ chọn, Enter để bỏ qua)'}")
        if sub.get("description"):
            self.say(f"   {sub['description']}")
        example = first_example(sub)
        if isinstance(example, str):
            self.say(f"   Ví dụ: {example.splitlines()[0]}")

    def text(
        self,
        sub: dict[str, Any],
        fallback: str,
        *,
        required: bool,
        default: str | None = None,
        check: Callable[[str], str | None] | None = None,
    ) -> str:
        """One line of text, re-asked until it satisfies the schema's length limits and `check`."""
        self.heading(sub, fallback, required)
        while True:
            suffix = f" [{default}]" if default else ""
            answer = self.read(f"> {sub.get('title', fallback)}{suffix}: ") or (default or "")
            if not answer and not required:
                return ""
            problem = _length_problem(answer, sub) or (check(answer) if check and answer else None)
            if not answer:
                problem = "mục này bắt buộc / this is required"
            if problem:
                self.say(f"   ! {problem}")
                continue
            return answer

    def multiline(self, sub: dict[str, Any], fallback: str) -> str:
        """Several lines, ended by an empty line; an empty answer leaves a TODO in the file."""
        self.heading(sub, fallback, required=False)
        self.say("   Nhập nhiều dòng; để kết thúc, nhấn Enter ở một dòng trống.")
        lines: list[str] = []
        while True:
            line = self.read("| ")
            if not line:
                break
            lines.append(line)
        return "\n".join(lines)

    def choose(
        self, sub: dict[str, Any], fallback: str, choices: dict[str, str], *, many: bool
    ) -> list[str]:
        """Pick by number, by id, or by typing part of a name (diacritics optional)."""
        self.heading(sub, fallback, required=True)
        shown = list(choices)
        if len(shown) <= _LIST_MAX:
            self._list(shown, choices)
        how = "số thứ tự (nhiều mục cách nhau bằng dấu phẩy)" if many else "số thứ tự"
        self.say(f"   Gõ {how}, mã, hoặc vài chữ trong tên để tìm (không cần dấu).")
        while True:
            answer = self.read(f"> {sub.get('title', fallback)}: ")
            if not answer:
                self.say("   ! mục này bắt buộc / this is required")
                continue
            picked: list[str] = []
            failed: str | None = None
            for part in [p.strip() for p in answer.split(",")] if many else [answer]:
                if not part:
                    continue
                if part.isdigit() and 1 <= int(part) <= len(shown):
                    picked.append(shown[int(part) - 1])
                elif part in choices:
                    picked.append(part)
                else:
                    # Narrow the list shown last before searching everything again.
                    narrowed = {cid: choices[cid] for cid in shown}
                    hits = search(part, narrowed) if len(shown) < len(choices) else []
                    hits = hits or search(part, choices)
                    if len(hits) == 1:
                        picked.append(hits[0])
                    else:
                        failed = part
                        if hits:
                            shown = hits
                            self.say(f"   Có {len(hits)} kết quả cho “{part}”; chọn theo số:")
                            self._list(shown, choices)
                        else:
                            self.say(f"   ! không tìm thấy “{part}” / nothing matches")
                        break
            if failed is not None or not picked:
                continue
            picked = list(dict.fromkeys(picked))
            for cid in picked:
                self.say(f"   ✓ {choices[cid]} ({cid})")
            return picked

    def _list(self, ids: list[str], choices: dict[str, str]) -> None:
        width = len(str(len(ids)))
        for i, cid in enumerate(ids, 1):
            self.say(f"   {i:>{width}}. {choices[cid]}  [{cid}]")

    def confirm(self, question: str) -> bool:
        while True:
            answer = self.read(f"{question} [C/k]: ").lower()
            if answer in ("", "c", "co", "có", "y", "yes"):
                return True
            if answer in ("k", "khong", "không", "n", "no"):
                return False


def _length_problem(answer: str, sub: dict[str, Any]) -> str | None:
    lo, hi = sub.get("minLength"), sub.get("maxLength")
    if lo is not None and len(answer) < lo:
        return f"cần ít nhất {lo} ký tự / at least {lo} characters"
    if hi is not None and len(answer) > hi:
        return f"tối đa {hi} ký tự / at most {hi} characters"
    return None


def _check_date(settings: Settings) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        try:
            day = parse_date_input(value)
        except ValueError:
            return (
                "ngày dạng dd/mm/yyyy hoặc YYYY-MM-DD, ví dụ 01/03/2024 / "
                "a date like 01/03/2024 or 2024-03-01"
            )
        if day > settings.today_date():
            return "ngày ở tương lai / a date in the future"
        return None

    return check


def _check_year(settings: Settings) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not value.isdigit():
            return "năm gồm 4 chữ số / a 4-digit year"
        try:
            check_year(settings, int(value))
        except Exception as exc:
            return str(exc)
        return None

    return check


def run_wizard(
    settings: Settings, registry: Registry, schema: dict[str, Any], prompter: Prompter
) -> Draft | None:
    """Ask every question; the Draft to write, or None when the contributor declines at the end."""
    say = prompter.say
    say("Tạo sáng kiến mới — trả lời các câu hỏi dưới đây; Ctrl-C để huỷ (không ghi gì).")
    say("New initiative — answer the questions below; Ctrl-C cancels (nothing is written).")
    year_sub = {
        "title": "Năm",
        "description": "Năm công nhận đầu tiên, hoặc năm nộp hồ sơ nếu chưa được công nhận.",
    }
    year = int(
        prompter.text(
            year_sub,
            "year",
            required=True,
            default=str(settings.today_date().year),
            check=_check_year(settings),
        )
    )
    say(f"   Mã dự kiến / suggested id: {next_free_id(settings, year)}")
    title = prompter.text(prop(schema, "title"), "title", required=True)
    title_en = prompter.text(prop(schema, "title_en"), "title_en", required=False) or None
    agencies = agency_choices(registry)
    (agency,) = prompter.choose(prop(schema, "agency"), "agency", agencies, many=False)
    name_at_time = prompter.text(
        prop(schema, "agency_name_at_time"),
        "agency_name_at_time",
        required=True,
        default=registry.agency_name(agency),
    )
    types = prompter.choose(
        prop(schema, "solution_types"),
        "solution_types",
        dict(enum_labels(prop(schema, "solution_types"))),
        many=True,
    )
    fields = prompter.choose(prop(schema, "fields"), "fields", field_choices(registry), many=True)
    authors: list[tuple[str, str | None]] = []
    author_sub = prop(schema, "authors")
    prompter.heading(author_sub, "authors", required=True)
    name_sub = prop(schema, "authors", "[]", "name")
    position_sub = prop(schema, "authors", "[]", "position")
    while True:
        name = prompter.text(name_sub, "name", required=not authors)
        if not name:
            break
        position = prompter.text(position_sub, "position", required=False) or None
        authors.append((name, position))
        say("   (Thêm tác giả khác, hoặc Enter để tiếp tục)")
    # People type dates day first; the schema's text speaks of the file's ISO form.
    date_sub = dict(prop(schema, "first_applied"))
    date_sub["description"] = (
        str(date_sub.get("description", "")).replace("(YYYY-MM-DD)", "").strip()
        + " Gõ dd/mm/yyyy / type dd/mm/yyyy."
    ).strip()
    date_sub["examples"] = ["01/03/2024"]
    typed_date = prompter.text(
        date_sub,
        "first_applied",
        required=False,
        check=_check_date(settings),
    )
    # Typed dd/mm/yyyy or ISO; the file keeps ISO.
    first_applied = parse_date_input(typed_date).isoformat() if typed_date else None
    summary = prompter.multiline(prop(schema, "summary"), "summary")
    texts = {key: prompter.multiline(prop(schema, key), key) for key in ("problem", "solution")}
    draft = Draft(
        year=year,
        title=title,
        title_en=title_en,
        agency=agency,
        agency_name_at_time=name_at_time,
        fields=fields,
        solution_types=types,
        authors=authors,
        summary=summary,
        first_applied=first_applied,
        texts=texts,
    )
    say()
    return draft if prompter.confirm(f"Ghi tệp {next_free_id(settings, year)}.yml?") else None
