"""Server-side SVG charts for the dashboard and the PDF reports (WeasyPrint renders inline SVG).

Pure functions: plain data in, a standalone `<svg>` out. Sizes, fonts and colours are set by
attribute, so a chart looks the same on a page, in a PDF or opened on its own.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plancore.formats import percent

STATUS_COLOURS = {
    "not_started": "#6b7681",
    "on_track": "#1d6b35",
    "at_risk": "#b35c00",
    "delayed": "#a4161a",
    "completed": "#0b4f8a",
    "ongoing": "#5b2a86",
    "discontinued": "#3d3d3d",
}
FALLBACK_COLOUR = "#4a5560"
INK = "#1b1f24"
MUTED_INK = "#4a5560"
TRACK = "#c9d1d9"
# The reports' typeface (Debian's fonts-noto-core), where the reader has it.
FONT = 'font-family="Noto Sans, sans-serif"'


def status_colour(status):
    return STATUS_COLOURS.get(status, FALLBACK_COLOUR)


def _svg(width, height, *, title, description, id_prefix, body):
    prefix = escape(id_prefix)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" {FONT} font-size="13" fill="{INK}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _empty_chart(*, title, id_prefix, width):
    message = _("No actions")
    body = [
        f'<text x="{width // 2}" y="34" text-anchor="middle" fill="{MUTED_INK}">'
        f"{escape(message)}</text>"
    ]
    return _svg(width, 60, title=title, description=message, id_prefix=id_prefix, body=body)


def _truncate(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_width(counts, total_width):
    """Integer pixel widths, one per count, that always add up to exactly `total_width`."""
    total = sum(counts)
    if total <= 0:
        return [0 for _count in counts]
    widths, running, previous_edge = [], 0, 0
    for count in counts:
        running += count
        edge = round(running * total_width / total)
        widths.append(edge - previous_edge)
        previous_edge = edge
    return widths


def status_bar_chart(counts, *, title, id_prefix, labels):
    """Horizontal bars, one per status in `labels` order, with the count at the end of each bar."""
    width, label_width, bar_max, row_height, top = 560, 150, 340, 28, 10
    statuses = list(labels)
    values = [max(int(counts.get(status, 0) or 0), 0) for status in statuses]
    if sum(values) == 0:
        return _empty_chart(title=title, id_prefix=id_prefix, width=width)
    largest = max(values)
    description = "; ".join(
        f"{labels[status]}: {value}" for status, value in zip(statuses, values, strict=True)
    )
    body = []
    for index, (status, value) in enumerate(zip(statuses, values, strict=True)):
        y = top + index * row_height
        label = escape(_truncate(labels[status], 22))
        body.append(f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end">{label}</text>')
        bar = round(value * bar_max / largest)
        if value:
            bar = max(bar, 2)
            body.append(
                f'<rect data-status="{escape(status)}" x="{label_width}" y="{y + 5}" '
                f'width="{bar}" height="18" fill="{status_colour(status)}"/>'
            )
        body.append(
            f'<text x="{label_width + bar + 6}" y="{y + 19}" font-weight="bold">{value}</text>'
        )
    height = top * 2 + len(statuses) * row_height
    return _svg(width, height, title=title, description=description, id_prefix=id_prefix, body=body)


def _legend(statuses, labels, *, y, width):
    """Swatch and label per status, wrapped onto as many lines as the width needs."""
    parts, x, line_height = [], 0, 20
    for status in statuses:
        text = str(labels[status])
        item_width = 22 + round(len(text) * 7) + 16
        if x and x + item_width > width:
            x, y = 0, y + line_height
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{status_colour(status)}"/>'
            f'<text x="{x + 20}" y="{y + 11}" font-size="12">'
            f"{escape(text)}</text>"
        )
        x += item_width
    return parts, y + line_height


def chapter_progress_chart(rows, *, title, id_prefix, labels):
    """Per chapter a 100%-stacked bar of its actions by status, and its mean progress at right.

    rows: [{"label": "3. Political dialogue", "counts": {status: n}, "progress": 47}, …]
    """
    width, bar_width, row_height, top = 640, 540, 46, 8
    statuses = list(labels)
    if not rows or not any(sum(row["counts"].values()) for row in rows):
        return _empty_chart(title=title, id_prefix=id_prefix, width=width)
    body, descriptions = [], []
    for index, row in enumerate(rows):
        y = top + index * row_height
        counts = [max(int(row["counts"].get(status, 0) or 0), 0) for status in statuses]
        total = sum(counts)
        progress = row.get("progress")
        progress_text = percent(progress)
        label = str(row["label"])
        body.append(
            f'<g data-row="{index}"><text x="0" y="{y + 14}">{escape(_truncate(label, 80))}</text>'
        )
        bar_y = y + 20
        if total == 0:
            body.append(
                f'<rect x="0" y="{bar_y}" width="{bar_width}" height="18" fill="none" '
                f'stroke="{TRACK}"/><text x="8" y="{bar_y + 13}" '
                f'font-size="12" fill="{MUTED_INK}">{escape(_("No actions"))}</text>'
            )
        x = 0
        for status, count, segment in zip(
            statuses, counts, split_width(counts, bar_width), strict=True
        ):
            if not segment:
                continue
            body.append(
                f'<rect data-status="{escape(status)}" x="{x}" y="{bar_y}" width="{segment}" '
                f'height="18" fill="{status_colour(status)}">'
                f"<title>{escape(labels[status])}: {count}</title></rect>"
            )
            if segment >= 18:
                body.append(
                    f'<text x="{x + segment / 2:g}" y="{bar_y + 13}" text-anchor="middle" '
                    f' font-size="11" fill="#ffffff">{count}</text>'
                )
            x += segment
        body.append(
            f'<text x="{width}" y="{bar_y + 13}" text-anchor="end" '
            f'font-weight="bold">{escape(progress_text)}</text></g>'
        )
        by_status = ", ".join(
            f"{labels[status]} {count}"
            for status, count in zip(statuses, counts, strict=True)
            if count
        )
        descriptions.append(
            ngettext(
                "%(chapter)s: %(total)s action (%(by_status)s), mean progress %(progress)s",
                "%(chapter)s: %(total)s actions (%(by_status)s), mean progress %(progress)s",
                total,
            )
            % {
                "chapter": label,
                "total": total,
                "by_status": by_status,
                "progress": progress_text,
            }
        )
    legend_top = top + len(rows) * row_height + 6
    legend, height = _legend(statuses, labels, y=legend_top, width=width)
    body.extend(legend)
    return _svg(
        width,
        height + 4,
        title=title,
        description="; ".join(descriptions),
        id_prefix=id_prefix,
        body=body,
    )


SERIES_COLOURS = (
    "#0b4f8a",
    "#b35c00",
    "#1d6b35",
    "#a4161a",
    "#5b2a86",
    "#00798c",
    "#8a6d00",
    "#c2185b",
    "#6b7681",
    "#3d3d3d",
)


def series_colour(index):
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def progress_over_time_chart(series, *, points, title, id_prefix, width=640):
    """Mean progress per quarter, one line per series, 0–100 % on the vertical axis.

    series: [{"label": "3. Political dialogue", "values": [12, 20, None, …]}, …], one value per
    point (None where the series had no actions yet); points: objects with `label`, `quarter`
    and `year` (actions.progress_history.QuarterPoint).
    """
    if not points or not any(v is not None for row in series for v in row["values"]):
        return _empty_chart(title=title, id_prefix=id_prefix, width=width)
    left, right, top, plot_height = 46, 14, 10, 150
    plot_width = width - left - right
    step = plot_width / max(len(points) - 1, 1)
    x_of = [left + index * step for index in range(len(points))]

    def y_of(value):
        return top + plot_height - value * plot_height / 100

    body = []
    for tick in (0, 25, 50, 75, 100):
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{y:g}" x2="{width - right}" y2="{y:g}" stroke="{TRACK}" '
            f'stroke-width="{1 if tick else 1.5}"/>'
            f'<text x="{left - 6}" y="{y + 4:g}" text-anchor="end" font-size="11" '
            f'fill="{MUTED_INK}">{escape(percent(tick))}</text>'
        )
    every_quarter = len(points) <= 8
    axis_y = top + plot_height + 16
    for x, point in zip(x_of, points, strict=True):
        if every_quarter or point.quarter == 1 or point is points[0]:
            text = point.label if every_quarter else str(point.year)
            body.append(
                f'<line x1="{x:g}" y1="{top + plot_height}" x2="{x:g}" '
                f'y2="{top + plot_height + 4}" stroke="{MUTED_INK}"/>'
                f'<text x="{x:g}" y="{axis_y}" text-anchor="middle" font-size="11" '
                f'fill="{MUTED_INK}">{escape(text)}</text>'
            )
    descriptions = []
    single = len(series) == 1
    for index, row in enumerate(series):
        colour = series_colour(index)
        coordinates = [
            (x, y_of(value))
            for x, value in zip(x_of, row["values"], strict=True)
            if value is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        body.append(
            f'<g data-series="{index}"><polyline points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{3 if single else 2}" stroke-linejoin="round"/>'
        )
        body.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3 if single else 2.5}" fill="{colour}"/>'
            for x, y in coordinates
        )
        if single and coordinates:
            x, y = coordinates[-1]
            last = next(v for v in reversed(row["values"]) if v is not None)
            body.append(
                f'<text x="{x - 4:.1f}" y="{y - 8:.1f}" text-anchor="end" font-size="12" '
                f'font-weight="bold">{escape(percent(last))}</text>'
            )
        body.append("</g>")
        descriptions.append(
            f"{row['label']}: "
            + ", ".join(
                f"{point.label} {percent(value)}"
                for point, value in zip(points, row["values"], strict=True)
                if value is not None
            )
        )
    height = axis_y + 8
    if not single:
        legend, height = _series_legend(
            [row["label"] for row in series], y=axis_y + 12, width=width
        )
        body.extend(legend)
    return _svg(
        width,
        height + 4,
        title=title,
        description="; ".join(descriptions),
        id_prefix=id_prefix,
        body=body,
    )


def _series_legend(labels, *, y, width):
    """A line swatch and a label per series, two to a row so long chapter titles fit."""
    parts, column_width, line_height = [], width // 2, 20
    for index, label in enumerate(labels):
        x = (index % 2) * column_width
        row_y = y + (index // 2) * line_height
        parts.append(
            f'<line x1="{x}" y1="{row_y + 7}" x2="{x + 18}" y2="{row_y + 7}" '
            f'stroke="{series_colour(index)}" stroke-width="3"/>'
            f'<text x="{x + 24}" y="{row_y + 11}" font-size="11">'
            f"{escape(_truncate(label, 48))}</text>"
        )
    rows = (len(labels) + 1) // 2
    return parts, y + rows * line_height
