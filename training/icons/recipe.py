"""Which icon sets a training run learns from: the shipped weights' recipe or an earlier one.

``wide4`` (the default) is the recipe of the weights in ``models/icons``
since the seventh session: ``wide3`` below with the 3–4-word names two or
more sets share in the vocabulary. ``wide3`` (shipped before it) is 60
sets (the seven below, 50 ``@iconify-json`` sets and the freedesktop
themes elementary, Numix and Deepin), hard "not an icon" crops
at 20 % of each batch, and rotated copies of pure direction glyphs labelled
with the rotated direction's concept (:mod:`training.icons.directions`), so
that ▲ and ▶ of one style are told apart; 12000 steps under a 76-minute cap.
The earlier recipes stay to reproduce the model card's history:
``seven`` trained the first shipped weights (seven sets, 4500 steps, a
38-minute cap; its caches keep their old ``-shipped`` suffix). ``wide``
adds the 50 Iconify sets (12000 steps, 65 minutes); it retrieves held-out
Lucide names better but names letter fragments and grid lines as icons on
real screens. ``wide2`` is ``wide`` plus the three themes (they teach names
like ``document-save``) and the hard negatives (letter fragments, rules and
grid lines, dotted separators, size grips, text cursors, field borders;
:mod:`training.icons.negatives`); it still lost benchmark cases to
look-alike icons. ``wide3`` is ``wide2`` plus the rotations, on the same
catalogue, so it reads ``wide2``'s renders. ``wide4`` is ``wide3`` with
the 3–4-word names that two or more sets share in the vocabulary: 190 of
Adwaita's 494 names are that long, and with ``wide3`` they ranked in the top
five for a quarter of their icons against two thirds for two-word names. ``models/icons/MODEL_CARD.md``
has the numbers of each.
Each recipe keeps its own renders and checkpoints in the cache, so switching
never mixes them.

Chosen by ``python -m training.icons.make --recipe NAME``, which sets
``CLICK_ASSIST_ICON_RECIPE`` before the training modules are imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["ENV", "DEFAULT", "BASE_SETS", "EXTRA_THEMES", "Recipe", "RECIPES", "active"]

ENV = "CLICK_ASSIST_ICON_RECIPE"
BASE_SETS = ("mdi", "tabler", "fontawesome", "phosphor", "bootstrap", "papirus", "breeze")
#: Freedesktop themes drawn apart from GNOME/Tango (GPL-3 / LGPL-3), for ``wide2``.
EXTRA_THEMES = ("elementary", "numix", "deepin")


@dataclass(frozen=True)
class Recipe:
    name: str
    iconify: bool       # whether the 50 @iconify-json sets join the base sets
    steps: int
    minutes: float
    cache_suffix: str   # renders and checkpoints of this recipe: rendered<suffix>.npz, train<suffix>/
    themes: tuple[str, ...] = ()   # freedesktop themes beyond BASE_SETS
    hard_negatives: bool = False   # letter fragments, rules, grips… besides rendered words
    negative_share: float = 0.12   # of each batch: crops with the target "not an icon"
    rotations: bool = False        # rotated direction glyphs (:mod:`training.icons.directions`)
    render_from: str | None = None   # another recipe whose renders this one shares (same catalogue)
    shared_long_names: bool = False  # 3–4-word names two sets share join the vocabulary (:mod:`training.icons.vocab`)

    @property
    def render_suffix(self) -> str:
        """Suffix of the rendered masks and hard negatives: shared when the catalogue is the same."""
        return RECIPES[self.render_from].cache_suffix if self.render_from else self.cache_suffix


RECIPES = {"seven": Recipe("seven", False, 4500, 38.0, "-shipped"),
           "wide": Recipe("wide", True, 12000, 65.0, ""),
           "wide2": Recipe("wide2", True, 12000, 65.0, "-wide2", EXTRA_THEMES, True, 0.2),
           # wide2's data exactly (its renders are reused) plus rotated direction glyphs; the cap
           # keeps the whole ``make`` under 90 minutes on the shared 2-core machine.
           "wide3": Recipe("wide3", True, 12000, 76.0, "-wide3", EXTRA_THEMES, True, 0.2, True, "wide2"),
           # wide3 with the freedesktop standard names of 3–4 words as targets (and names).
           "wide4": Recipe("wide4", True, 12000, 76.0, "-wide4", EXTRA_THEMES, True, 0.2, True, "wide2", True)}
#: The recipe of the weights in ``models/icons``.
DEFAULT = "wide4"


def active() -> Recipe:
    """The recipe named by ``CLICK_ASSIST_ICON_RECIPE`` (the shipped weights', ``DEFAULT``, when unset)."""
    name = os.environ.get(ENV, DEFAULT)
    if name not in RECIPES:
        raise ValueError(f"{ENV}={name!r}: choose one of {', '.join(RECIPES)}")
    return RECIPES[name]
