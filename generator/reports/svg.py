"""Accessible bar charts rendered at build time as inline SVG (no script, no chart service).

Each chart is an `<svg role="img">` labelled by its own `<title>` and `<desc>`; the desc states
every value in words, and the page always shows the same figures as a table next to the chart,
so nothing is only visual. Colours: dark blue bars (#1d4f91, 8.6:1 on white) and near-black
text (#1f2937, 14.7:1) on a white panel that the chart draws itself, so contrast holds in the
site's dark scheme too.
"""

from __future__ import annotations

from html import escape

from generator.text.vn import format_number

BAR = "#1d4f91"
BAR_PREVIOUS = "#6b7280"  # grey, 4.8:1 on white
TEXT = "#1f2937"
PANEL = "#ffffff"
GRID = "#d1d5db"
FONT = "'Be Vietnam Pro', 'Tinos', 'Times New Roman', sans-serif"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    items: list[tuple[str, int | float]],
    *,
    unit: str = "",
    previous: list[int | float] | None = None,
    previous_label: str = "Kỳ trước",
    current_label: str = "Kỳ báo cáo",
    label_chars: int = 34,
) -> str:
    """A horizontal bar chart; with `previous`, each row shows two bars (period and previous).

    Returns the `<figure>` HTML, to be placed in Markdown as a raw HTML block.
    """
    width = 680
    longest = max((len(_clip(label, label_chars)) for label, _ in items), default=4)
    # Room for the longest label (about 7.5 px a character at 14 px), no more.
    label_w = int(min(270, max(60, longest * 7.5 + 16)))
    value_w = 60
    row_h = 30 if previous is None else 44
    top = 14 if previous is None else 40
    plot_w = width - label_w - value_w - 16
    values = [v for _, v in items] + list(previous or [])
    peak = max([v for v in values if v > 0] or [1])
    height = top + row_h * max(1, len(items)) + 12
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    words = []
    for i, (label, value) in enumerate(items):
        text = f"{label}: {format_number(value)}{(' ' + unit) if unit else ''}"
        if previous is not None:
            text += f" ({previous_label.lower()}: {format_number(previous[i])})"
        words.append(text)
    desc = "; ".join(words) + "." if words else "Không có số liệu."
    out = [
        f'<figure class="sk-chart" id="{escape(chart_id)}">',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{tid} {did}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'style="max-width:100%;height:auto" '
        f'font-family="{escape(FONT)}" font-size="14">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="6" fill="{PANEL}"/>',
    ]
    if previous is not None:
        out.append(
            f'<rect x="{label_w}" y="10" width="14" height="14" fill="{BAR}"/>'
            f'<text x="{label_w + 20}" y="22" fill="{TEXT}">{escape(current_label)}</text>'
            f'<rect x="{label_w + 140}" y="10" width="14" height="14" fill="{BAR_PREVIOUS}"/>'
            f'<text x="{label_w + 160}" y="22" fill="{TEXT}">{escape(previous_label)}</text>'
        )
    out.append(
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 8}" stroke="{GRID}"/>'
    )
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        bar_h = 18
        out.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_clip(label, label_chars))}</text>"
        )
        w = max(0.0, plot_w * value / peak)
        out.append(
            f'<rect x="{label_w}" y="{y + 1}" width="{w:.1f}" height="{bar_h}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" fill="{TEXT}">{format_number(value)}</text>'
        )
        if previous is not None:
            pw = max(0.0, plot_w * previous[i] / peak)
            out.append(
                f'<rect x="{label_w}" y="{y + bar_h + 3}" width="{pw:.1f}" height="12" '
                f'fill="{BAR_PREVIOUS}"/>'
                f'<text x="{label_w + pw + 6:.1f}" y="{y + bar_h + 14}" fill="{TEXT}" '
                f'font-size="12">{format_number(previous[i])}</text>'
            )
    out.append("</svg>")
    out.append(f"<figcaption>{escape(title)}</figcaption>")
    out.append("</figure>")
    return "".join(out)
