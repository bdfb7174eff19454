""""Show numbers": one number per clickable thing, merged across sources, labels that never hide
each other or what they label, and pages when the screen is too dense."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.geometry import Box
from desktop.core.numbers import NumberTarget, layout_pages, reading_order, targets_from_candidates
from desktop.core.results import Candidate


def label_size(n: int) -> tuple[float, float]:
    return 12.0 * len(str(n)) + 10, 20.0


def test_one_number_per_control_whatever_saw_it() -> None:
    cands = [
        Candidate(Box(200, 246, 362, 274), "Save", "button", "a11y", 0.97),
        Candidate(Box(262, 253, 300, 268), "Save", "text", "ocr", 0.99),
        Candidate(Box(201, 247, 361, 273), "Save", "button", "controls", 0.9),
        Candidate(Box(31, 252, 45, 266), "Remember me", "checkbox", "a11y", 0.97, label_box=Box(31, 247, 179, 272)),
        Candidate(Box(50, 252, 170, 268), "Remember me", "text", "ocr", 0.99),
        Candidate(Box(31, 252, 45, 266), "Remember me", "checkbox", "controls", 0.8),
        Candidate(Box(400, 100, 470, 120), "Help", "text", "ocr", 0.9),
        Candidate(Box(500, 100, 510, 120), "-", "text", "ocr", 0.9),  # OCR reading a line as "-"
        Candidate(Box(600, 100, 680, 130), "Reset", "button", "a11y", 0.5, states=frozenset({"disabled"})),
    ]
    targets = targets_from_candidates(cands)
    assert [(t.label, t.source) for t in targets] == [("Help", "ocr"), ("Remember me", "a11y"), ("Save", "a11y")]
    remember = targets[1]
    assert remember.point == (38, 259) and remember.extent == Box(31, 247, 179, 272)


def test_reading_order_is_rows_then_left_to_right() -> None:
    ts = [NumberTarget(b, b.center, str(i), "button", "a11y", b) for i, b in enumerate(
        [Box(300, 12, 340, 32), Box(10, 10, 50, 30), Box(10, 100, 50, 120), Box(200, 14, 240, 34)])]
    assert reading_order(ts) == [1, 3, 0, 2]


def _invariants(targets: list[NumberTarget], pages, size: tuple[float, float], strict_boxes: bool = True) -> None:  # type: ignore[no-untyped-def]
    seen = []
    for page in pages:
        assert [lab.number for lab in page.labels] == list(range(1, len(page.labels) + 1))
        for a in page.labels:
            assert 0 <= a.box.x0 and 0 <= a.box.y0 and a.box.x1 <= size[0] and a.box.y1 <= size[1]
            assert a.box.intersection(targets[a.index].extent) == 0, "covers what it labels"
            page_targets = [targets[lab.index] for lab in page.labels]
            assert all(a.box.intersection(t.box) == 0 for t in page_targets), "covers a numbered target"
            if strict_boxes:
                assert all(a.box.intersection(t.extent) == 0 for t in page_targets), "covers a numbered control"
            for b in page.labels:
                assert a is b or a.box.intersection(b.box) == 0, "labels overlap"
            seen.append(a.index)
    assert sorted(seen) == list(range(len(targets))), "every target is on exactly one page"


def test_labels_sit_beside_their_targets() -> None:
    targets = [NumberTarget(b, b.center, "x", "button", "a11y", b)
               for b in (Box(100, 100, 180, 130), Box(100, 140, 180, 170), Box(300, 100, 330, 130))]
    pages = layout_pages(targets, (800, 600), label_size)
    assert len(pages) == 1
    _invariants(targets, pages, (800, 600))
    first = pages[0].labels[0]
    assert first.box.x1 <= 100 and abs(first.box.center[1] - 115) < 1  # left of the button, centred
    assert pages[0].index_of(3) == 2 and pages[0].index_of(4) is None


def test_a_dense_screen_is_thinned_into_pages() -> None:
    # A 30 x 20 grid of 16-px icons 4 px apart: no room for 600 labels at once.
    targets = [NumberTarget(b, b.center, "i", "icon", "icons", b)
               for b in (Box(20 * c + 40, 20 * r + 40, 20 * c + 56, 20 * r + 56) for r in range(20) for c in range(30))]
    pages = layout_pages(targets, (720, 520), label_size, max_per_page=60)
    assert len(pages) > 1 and all(len(p.labels) <= 60 for p in pages)
    _invariants(targets, pages, (720, 520), strict_boxes=False)


def test_labels_scale_with_the_overlay() -> None:
    targets = [NumberTarget(Box(100, 100, 200, 140), (150, 120), "Save", "button", "a11y", Box(100, 100, 200, 140))]
    page = layout_pages(targets, (400, 300), label_size, scale=(0.5, 0.5))[0]
    assert page.labels[0].box.x1 <= 50 and abs(page.labels[0].box.center[1] - 60) < 1


boxes = st.tuples(st.integers(0, 760), st.integers(0, 560), st.integers(6, 120), st.integers(6, 40))


@settings(max_examples=60, deadline=None)
@given(st.lists(boxes, min_size=1, max_size=80))
def test_layout_invariants_hold_for_any_screen(raw: list[tuple[int, int, int, int]]) -> None:
    kept: list[Box] = []
    for x, y, w, h in raw:  # real controls do not overlap each other
        b = Box(x, y, min(x + w, 800), min(y + h, 600))
        if b.width > 2 and b.height > 2 and all(b.intersection(o) == 0 for o in kept):
            kept.append(b)
    targets = [NumberTarget(b, b.center, "t", "button", "controls", b) for b in kept]
    pages = layout_pages(targets, (800, 600), label_size)
    _invariants(targets, pages, (800, 600), strict_boxes=False)
