"""Rules that turn one screen's ground truth into instructions of each kind.

Each rule takes a :class:`ScreenCtx` and returns candidate cases (plain dicts
without ``id``); :mod:`tests.benchmarks.cases` samples from them. Rules only
make unambiguous cases: a text target's text appears once on the screen,
unless the case is *about* telling duplicates apart (ordinals, relations).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from tests.benchmarks import words
from tests.benchmarks.truth import Element, ScreenTruth

__all__ = ["ScreenCtx", "norm", "RULES", "reading_order"]

Case = dict[str, Any]
_CJK = re.compile(r"[\u3400-\u9fff]")
_ORD = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
_COUNT = {2: "two", 3: "three"}


def norm(text: str) -> str:
    return " ".join(text.lower().replace("…", "").split()).rstrip(":").strip()


@dataclass
class ScreenCtx:
    """One screen's truth with the look-ups the rules need."""

    truth: ScreenTruth
    rng: random.Random
    by_text: dict[str, list[Element]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for e in self.truth.elements:
            for t in {norm(e.text), norm(e.label)} - {""}:
                self.by_text.setdefault(t, []).append(e)

    def unique(self, text: str) -> bool:
        """Whether ``text`` names exactly one thing on the screen (text or label)."""
        return len(self.by_text.get(norm(text), [])) == 1

    def visible(self, word: str) -> bool:
        """Whether ``word`` appears anywhere in the screen's texts."""
        w = norm(word)
        return any(w in t for t in self.by_text)

    def of(self, *roles: str, clickable: bool = True) -> list[Element]:
        return [e for e in self.truth.elements if e.role in roles and e.clickable == clickable]

    def case(self, kind: str, instruction: str, targets: Iterable[Element | list[float]],
             expect: str = "one", **extra: Any) -> Case:
        boxes = [t.target_box if isinstance(t, Element) else t for t in targets]
        return {"image": self.truth.image, "instruction": instruction, "kind": kind,
                "targets": [[round(v, 1) for v in b] for b in boxes], "expect": expect,
                "action": extra.pop("action", "click"), **extra,
                "meta": {"source": self.truth.source, "scale": self.truth.scale,
                         "theme": self.truth.theme, "layout": self.truth.layout}}


def _latin(text: str) -> bool:
    return bool(text) and not _CJK.search(text)


def _named(ctx: ScreenCtx, roles: tuple[str, ...], max_len: int = 32) -> list[Element]:
    """Clickable elements of those roles whose Latin text is unique on the screen."""
    return [e for e in ctx.of(*roles) if _latin(e.text) and len(e.text) <= max_len
            and ctx.unique(e.text) and e.kind != "key"]


def reading_order(items: list[Element]) -> list[Element] | None:
    """Items in one column (top to bottom) or one row (left to right); None when neither."""
    if len(items) < 2:
        return None
    boxes = [e.target_box for e in items]
    h = min(b[3] - b[1] for b in boxes)
    if max(b[0] for b in boxes) - min(b[0] for b in boxes) <= max(4.0, h * 0.3):
        return sorted(items, key=lambda e: e.target_box[1])
    centers = [(b[1] + b[3]) / 2 for b in boxes]
    if max(centers) - min(centers) <= h * 0.5:
        return sorted(items, key=lambda e: e.target_box[0])
    return None


def rule_text(ctx: ScreenCtx) -> list[Case]:
    out = []
    for e in _named(ctx, ("button", "tab", "menu", "link", "listitem")):
        verbs = {"button": ["click", "press", "hit"], "tab": ["open", "click", "go to"],
                 "menu": ["open", "click"], "link": ["click", "open", "follow"],
                 "listitem": ["click", "select"]}[e.role]
        if (e.kind in ("header", "toolbutton") and not e.icon) or e.window == "Desktop":
            verbs = ["click"]  # nobody "presses" a column header or a desktop icon
        out.append(ctx.case("text", f"{ctx.rng.choice(verbs)} {e.text}", [e]))
        similar = [t for t in ctx.by_text if t != norm(e.text) and (norm(e.text) in t or t in norm(e.text))]
        if similar or (" " in e.text and ctx.rng.random() < 0.3):
            out.append(ctx.case("text", f'click "{e.text}"', [e]))
    return out


def rule_checkable(ctx: ScreenCtx) -> list[Case]:
    out = []
    for e in ctx.of("checkbox", "radio"):
        name = e.text or e.label
        if not _latin(name) or not names_only(ctx, name, e):
            continue
        if e.role == "checkbox":
            forms = [f"click the {name} checkbox", f"tick {name}", f"check the {name} box", f"toggle {name}"]
            if e.checked:
                forms.append(f"uncheck {name}")
        else:
            forms = [f"select the {name} radio button", f"choose {name}", f"click the {name} option"]
        form = ctx.rng.choice(forms)
        if e.checked and form.startswith(("tick ", "check ")):
            # Ticking a ticked box would untick it: the engine leaves it alone and says so.
            form = f"click the {name} checkbox"
        out.append(ctx.case("checkable", form, [e]))
    return out


def rule_multi(ctx: ScreenCtx) -> list[Case]:
    out = []
    for role, plural in (("checkbox", "checkboxes"), ("tab", "tabs"), ("radio", "radio buttons")):
        items = ctx.of(role)
        if len(items) >= 2:
            singular = {"checkbox": "checkbox", "tab": "tab", "radio": "radio button"}[role]
            form = ctx.rng.choice([f"click all {plural}", f"click every {singular}", f"click all the {plural}"])
            extra = {"max_clicks": len(items)} if ctx.rng.random() < 0.25 else {}
            out.append(ctx.case("multi", form, items, "all", **extra))
    repeated: dict[str, list[Element]] = {}
    for e in ctx.of("button"):
        if _latin(e.text):
            repeated.setdefault(e.text, []).append(e)
    for text, items in repeated.items():
        if len(items) >= 2 and len(ctx.by_text[norm(text)]) == len(items):
            out.append(ctx.case("multi", f"click all {text} buttons", items, "all"))
    return out


def _ordinal_forms(ctx: ScreenCtx, ordered: list[Element], noun: str) -> list[Case]:
    n = len(ordered)
    picks = [(i, _ORD[i]) for i in range(1, min(n, 5) + 1)] + [(n, "last")]
    out = []
    for pos, word in ctx.rng.sample(picks, min(2, len(picks))):
        out.append(ctx.case("ordinal", f"click the {word} {noun}", [ordered[pos - 1]]))
    if n >= 3 and noun in ("checkbox", "tab", "radio button") and ctx.rng.random() < 0.5:
        k = ctx.rng.choice([2, 3] if n > 3 else [2])
        plural = {"checkbox": "checkboxes", "tab": "tabs", "radio button": "radio buttons"}[noun]
        out.append(ctx.case("ordinal", f"click the first {_COUNT[k]} {plural}", ordered[:k], "all"))
    return out


def rule_ordinal(ctx: ScreenCtx) -> list[Case]:
    out = []
    for role, noun in (("checkbox", "checkbox"), ("tab", "tab"), ("radio", "radio button"), ("menu", "menu")):
        ordered = reading_order(ctx.of(role))
        if ordered and len(ordered) >= 3:
            out.extend(_ordinal_forms(ctx, ordered, noun))
    groups: dict[str, list[Element]] = {}
    for e in ctx.of("button"):
        groups.setdefault(e.text, []).append(e)
    for text, items in groups.items():
        ordered = reading_order(items) if len(items) >= 2 and _latin(text) else None
        if ordered and len(ctx.by_text[norm(text)]) == len(items):
            out.extend(_ordinal_forms(ctx, ordered, f"{text} button"))
    return out


def _side(a: list[float], b: list[float]) -> str | None:
    """Where box ``b`` lies relative to box ``a``: right_of, left_of, below, above."""
    v_overlap = min(a[3], b[3]) - max(a[1], b[1]) > 0.3 * min(a[3] - a[1], b[3] - b[1])
    h_overlap = min(a[2], b[2]) - max(a[0], b[0]) > 0
    if v_overlap and b[0] >= a[2] - 2:
        return "right of"
    if v_overlap and b[2] <= a[0] + 2:
        return "left of"
    if h_overlap and b[1] >= a[3] - 2:
        return "below"
    if h_overlap and b[3] <= a[1] + 2:
        return "above"
    return None


def _relational_labels(ctx: ScreenCtx) -> list[Case]:
    out = []
    for e in ctx.of("checkbox", "radio", "field", "dropdown"):
        noun = {"checkbox": "checkbox", "radio": "radio button", "field": "field", "dropdown": "dropdown"}[e.role]
        if e.role in ("checkbox", "radio") and e.text and e.label_box and _latin(e.text) and ctx.unique(e.text):
            side = _side(e.label_box, e.indicator or e.box)
            if side:
                out.append(ctx.case("relational", f"click the {noun} {side} {e.text}", [e]))
        elif e.label and _latin(e.label) and names_only(ctx, e.label, e):
            anchors = [a for a in ctx.truth.elements if not a.clickable and norm(a.text) == norm(e.label)]
            side = _side(anchors[0].box, e.box) if len(anchors) == 1 else None
            if side:
                out.append(ctx.case("relational", f"click the {noun} {side} {e.label}", [e]))
    return out


def rule_relational(ctx: ScreenCtx) -> list[Case]:
    out = _relational_labels(ctx)
    windows = {w["title"]: w for w in ctx.truth.windows}
    by_text: dict[str, list[Element]] = {}
    for e in ctx.of("button", "tab", "menu"):
        if _latin(e.text) and e.window in windows:
            by_text.setdefault(norm(e.text), []).append(e)
    for items in by_text.values():
        wins = [e.window for e in items]
        if len(set(wins)) < 2 or len(set(wins)) != len(wins) or len(ctx.by_text[norm(items[0].text)]) != len(items):
            continue
        for e in items:
            kind = windows[e.window].get("type", "")
            noun = "dialog" if kind in ("export", "settings", "file", "form", "zh") else "window"
            out.append(ctx.case("relational", f"click {e.text} in the {e.window} {noun}", [e]))
    return out


def rule_sequence(ctx: ScreenCtx) -> list[Case]:
    out = []
    by_window: dict[tuple[str, str], list[Element]] = {}
    for e in _named(ctx, ("button", "tab")):
        if e.kind != "header" and e.window != "Taskbar":  # pairs of one kind: "Bold, then Italic"
            by_window.setdefault((e.window, e.kind), []).append(e)
    for items in by_window.values():
        if len(items) >= 2:
            a, b = ctx.rng.sample(items, 2)
            form = ctx.rng.choice(["click {a}, then {b}", "click {a} and then {b}", "press {a} then {b}"])
            out.append(ctx.case("sequence", form.format(a=a.text, b=b.text), [a, b], "sequence"))
    keys = [e for e in ctx.truth.elements if e.kind == "key" and ctx.unique(e.text)]
    if len(keys) >= 3:
        seq = ctx.rng.sample(keys, 3)
        out.append(ctx.case("sequence", "click " + ", then ".join(k.text for k in seq), seq, "sequence"))
    return out


def rule_chinese(ctx: ScreenCtx) -> list[Case]:
    if ctx.truth.lang != "zh":
        return []
    out = []
    for e in ctx.of("button", "tab", "checkbox", "radio", "menu", "link"):
        if not _CJK.search(e.text) or not ctx.unique(e.text):
            continue
        if e.role == "checkbox":
            form = ctx.rng.choice(["勾选{t}", "点击{t}复选框", "选中{t}"])
            if e.checked and form != "点击{t}复选框":
                form = "取消勾选{t}"  # ticking a ticked box would untick it: the engine leaves it alone
        elif e.role == "radio":
            form = ctx.rng.choice(["选择{t}", "点击{t}单选按钮"])
        elif e.role == "tab":
            form = ctx.rng.choice(["点击{t}选项卡", "打开{t}标签页", "点击{t}"])
        else:
            form = ctx.rng.choice(["点击{t}", "单击{t}", "按{t}"])
        out.append(ctx.case("chinese", form.format(t=e.text), [e]))
    boxes = ctx.of("checkbox")
    if len(boxes) >= 2:
        form = ctx.rng.choice(["单击所有复选框", "点击所有复选框", "勾选全部复选框"])
        empty = [b for b in boxes if not b.checked]
        if form == "勾选全部复选框" and len(empty) < len(boxes):
            # "Tick all" clicks only the boxes not yet ticked.
            form, boxes = (form, empty) if empty else ("点击所有复选框", boxes)
        out.append(ctx.case("chinese", form, boxes, "all"))
    return out


def rule_symbol(ctx: ScreenCtx) -> list[Case]:
    out = []
    for e in ctx.truth.elements:
        if e.kind != "key" or not ctx.unique(e.text):
            continue
        names = words.CALC_KEYS.get(e.text, [])
        if names and ctx.rng.random() < 0.3:
            form = f"press the {ctx.rng.choice(names)} key"
        else:
            form = ctx.rng.choice(["click {t}", "press {t}", "click the {t} key", "tap {t}"]).format(t=e.text)
        out.append(ctx.case("symbol", form, [e]))
    return out


def names_only(ctx: ScreenCtx, name: str, e: Element) -> bool:
    """Whether ``name`` (as text or label) names ``e`` and no other control on the screen."""
    n = norm(name)
    hits = ctx.by_text.get(n, [])
    return (bool(n) and [x for x in hits if x.clickable] == [e]
            and len([x for x in hits if not x.clickable]) <= 1)


def rule_role(ctx: ScreenCtx) -> list[Case]:
    out = []
    nouns = {"dropdown": ["dropdown", "combo box", "drop-down list"], "field": ["field", "text box", "input"],
             "tab": ["tab"], "button": ["button"], "link": ["link"], "menu": ["menu"]}
    for e in ctx.of(*nouns):
        name = e.label if e.role in ("dropdown", "field") else e.text
        if _latin(name) and len(name) <= 32 and e.kind != "key" and names_only(ctx, name, e):
            out.append(ctx.case("role", f"click the {name} {ctx.rng.choice(nouns[e.role])}", [e]))
    return out


def rule_synonym(ctx: ScreenCtx) -> list[Case]:
    out = []
    for e in _named(ctx, ("button", "tab", "menu", "link")):
        for canon, syns in words.SYNONYMS.items():
            if norm(e.text) != norm(canon):
                continue
            hidden = [s for s in syns if not ctx.visible(s)]
            if hidden:
                s = ctx.rng.choice(hidden)
                verb = "open" if canon == "Settings" else ctx.rng.choice(["click", "press"])
                out.append(ctx.case("synonym", f"{verb} {s}", [e]))
    return out


def rule_icon(ctx: ScreenCtx) -> list[Case]:
    out = []
    icons: dict[str, list[Element]] = {}
    for e in ctx.truth.elements:
        if e.icon:
            icons.setdefault(e.icon, []).append(e)
    for icon, items in icons.items():
        word = words.ICON_WORDS.get(icon)
        # Title-bar buttons are on every window: keep some, not a flood of them.
        if icon.startswith("SP_TitleBar") and ctx.rng.random() < 0.7:
            continue
        if word and len(items) == 1 and not items[0].text and not ctx.visible(word):
            out.append(ctx.case("icon", f"click the {word} icon", items))
    return out


def rule_action(ctx: ScreenCtx) -> list[Case]:
    out = []
    for e in _named(ctx, ("listitem", "link", "button")):
        if e.role == "listitem" or (e.kind == "toolbutton" and e.window == "Desktop"):
            act, verb = ctx.rng.choice([("double_click", "double-click"), ("double_click", "double click"),
                                        ("right_click", "right-click")])
        elif ctx.rng.random() < 0.25:
            act, verb = "right_click", ctx.rng.choice(["right-click", "right click"])
        else:
            continue
        out.append(ctx.case("action", f"{verb} {e.text}", [e], action=act))
    return out


RULES: dict[str, Callable[[ScreenCtx], list[Case]]] = {
    "text": rule_text, "checkable": rule_checkable, "multi": rule_multi, "ordinal": rule_ordinal,
    "relational": rule_relational, "sequence": rule_sequence, "chinese": rule_chinese,
    "symbol": rule_symbol, "role": rule_role, "synonym": rule_synonym, "icon": rule_icon,
    "action": rule_action,
}
