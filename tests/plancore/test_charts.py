import xml.etree.ElementTree as ET
from datetime import date

import pytest

from actions.models import Status
from actions.progress_history import quarters
from plancore.charts import (
    chapter_progress_chart,
    progress_over_time_chart,
    split_width,
    status_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {status.value: str(status.label) for status in Status}


def parse(svg):
    return ET.fromstring(str(svg))


def bars(root):
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("data-status")]


def all_text(root):
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def status_chart(counts, labels=LABELS):
    return status_bar_chart(counts, title="Actions by status", id_prefix="s1", labels=labels)


def chapter_chart(rows, labels=LABELS):
    return chapter_progress_chart(rows, title="By chapter", id_prefix="c1", labels=labels)


CHAPTER_ROWS = [
    {"label": "3. Political dialogue", "counts": {"on_track": 3, "delayed": 1}, "progress": 47},
    {
        "label": "6. Health",
        "counts": {"not_started": 1, "at_risk": 2, "completed": 4, "ongoing": 2},
        "progress": 61.6,
    },
    {"label": "7. Energy", "counts": {"on_track": 1, "discontinued": 2}, "progress": 10},
]


@pytest.mark.parametrize(
    "svg",
    [
        status_chart({"on_track": 4, "delayed": 2}),
        chapter_chart(CHAPTER_ROWS),
        status_chart({}),
        chapter_chart([]),
    ],
)
def test_chart_is_an_accessible_standalone_svg(svg):
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") and root.get("height") and root.get("viewBox")
    assert root.get("font-family") == "Noto Sans, sans-serif"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text


def test_id_prefix_makes_ids_unique_per_chart():
    first = parse(status_bar_chart({"on_track": 1}, title="A", id_prefix="one", labels=LABELS))
    second = parse(status_bar_chart({"on_track": 1}, title="A", id_prefix="two", labels=LABELS))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_status_chart_draws_one_bar_per_status_with_actions():
    root = parse(status_chart({"on_track": 4, "delayed": 2, "at_risk": 0}))
    assert sorted(rect.get("data-status") for rect in bars(root)) == ["delayed", "on_track"]
    assert "Delayed" in all_text(root) and "4" in all_text(root)


def test_status_chart_longest_bar_is_the_largest_count():
    root = parse(status_chart({"on_track": 4, "delayed": 2}))
    widths = {rect.get("data-status"): float(rect.get("width")) for rect in bars(root)}
    assert widths["on_track"] == pytest.approx(2 * widths["delayed"], abs=1)


def test_status_chart_uses_the_status_palette():
    root = parse(status_chart({"at_risk": 1}))
    assert bars(root)[0].get("fill") == "#b35c00"


def test_text_is_escaped():
    labels = LABELS | {"on_track": "<b>"}
    svg = str(status_chart({"on_track": 1}, labels=labels))
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert "<b>" in all_text(parse(svg))

    rows = [{"label": "<script>x</script>", "counts": {"on_track": 1}, "progress": 5}]
    svg = str(chapter_chart(rows, labels=labels))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


def test_zero_data_says_no_actions():
    assert "No actions" in all_text(parse(status_chart({})))
    assert "No actions" in all_text(parse(status_chart(dict.fromkeys(LABELS, 0))))
    assert "No actions" in all_text(parse(chapter_chart([])))
    empty_rows = [{"label": "3. Political dialogue", "counts": {}, "progress": None}]
    assert "No actions" in all_text(parse(chapter_chart(empty_rows)))


def test_chapter_with_no_actions_among_others_is_drawn_without_error():
    rows = [*CHAPTER_ROWS, {"label": "9. Empty", "counts": {}, "progress": None}]
    root = parse(chapter_chart(rows))
    assert "9. Empty" in all_text(root)


def test_stacked_bars_fill_the_bar_width():
    root = parse(chapter_chart(CHAPTER_ROWS))
    rows = root.findall(f"{SVG}g[@data-row]")
    assert len(rows) == len(CHAPTER_ROWS)
    totals = []
    for row in rows:
        segments = bars(row)
        totals.append(sum(float(rect.get("width")) for rect in segments))
        edges = sorted((float(r.get("x")), float(r.get("width"))) for r in segments)
        for (x, width), (next_x, _width) in zip(edges, edges[1:], strict=False):
            assert x + width == pytest.approx(next_x, abs=1)
    assert all(total == pytest.approx(totals[0], abs=1) for total in totals)
    assert totals[0] == pytest.approx(540, abs=1)


def test_chapter_chart_prints_mean_progress_and_a_legend():
    text = all_text(parse(chapter_chart(CHAPTER_ROWS)))
    assert "47%" in text and "62%" in text
    for label in LABELS.values():
        assert label in text


def test_split_width_sums_exactly():
    assert sum(split_width([1, 1, 1], 100)) == 100
    assert sum(split_width([7, 0, 13, 2], 541)) == 541
    assert split_width([0, 0], 100) == [0, 0]


def over_time_chart(series):
    points = quarters(date(2023, 8, 9), date(2024, 9, 30))
    return progress_over_time_chart(series, points=points, title="Over time", id_prefix="t")


def test_the_progress_over_time_chart_draws_a_line_per_chapter_with_a_legend():
    root = parse(
        over_time_chart(
            [
                {"label": "3. Political dialogue", "values": [0, 10, 20, 30, 40]},
                {"label": "4. Trade and investment", "values": [None, 5, 5, 15, 25]},
            ]
        )
    )
    assert root.get("role") == "img"
    assert len(root.findall(f"{SVG}g/{SVG}polyline")) == 2
    legend = [text.text for text in root.iter(f"{SVG}text")]
    assert "3. Political dialogue" in legend and "4. Trade and investment" in legend
    description = root.find(f"{SVG}desc").text
    assert "3. Political dialogue: Q3 2023 0%, Q4 2023 10%" in description
    assert "4. Trade and investment: Q4 2023 5%" in description


def test_one_chapters_chart_has_no_legend_and_labels_its_last_value():
    root = parse(over_time_chart([{"label": "5. Health", "values": [0, 10, 20, 30, 46]}]))
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "5. Health" not in texts and "46%" in texts
