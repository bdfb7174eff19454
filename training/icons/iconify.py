"""Icon sets from npm's ``@iconify-json/*`` packages: more drawing styles for the icon model.

Each package is one ``icons.json`` in the IconifyJSON format: a ``prefix``,
``icons`` (``name → {body, width?, height?, left?, top?, hidden?}``), the
default ``width``/``height`` (16 when absent), ``aliases`` (``name →
{parent, rotate?, hFlip?, vFlip?}``) and ``info`` with the licence. An
icon's SVG is ``<svg viewBox="left top W H">body</svg>``.

Iconify names carry no tags, and most sets ship one glyph in several styles
or sizes under names like ``baseline-save``, ``save-24-regular`` or
``save-outline-rounded``. Those variant words are stripped so that one
concept ("save") collects a few files (at most :data:`MAX_FILES`, the
shortest names first) and style words never become vocabulary entries.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from training.icons.fetch_data import CACHE

__all__ = ["IconifySet", "ICONIFY_SETS", "MAX_FILES", "IconifyIcon", "parse_iconify", "concept_name",
           "group_concepts", "materialise", "package_dir", "style_suffixes"]

logger = logging.getLogger(__name__)

#: Files kept per concept: two styles (e.g. outline + filled) give variety without
#: letting a set with six styles per glyph weigh six times as much in rendering.
MAX_FILES = 2
SVG_DIR = CACHE / "iconify"


@dataclass(frozen=True)
class IconifySet:
    """One ``@iconify-json/<prefix>`` package and which of its names to use."""

    prefix: str
    version: str
    licence: str
    keep: str = ""     # regex a name must match (picks one style/size of many); empty keeps all
    drop: str = ""     # regex of names to leave out (logos, other sizes)


# Pinned (``npm view @iconify-json/<prefix> version`` at the time of writing). Left out on
# purpose: lucide, lucide-lab, feather, fe (Lucide's family, held out), tabler, mdi*, ph, bi,
# fa*, la (duplicates of sets already in), anything drawn from GNOME/Adwaita (held out),
# entypo and typcn (CC BY-SA: share-alike on derived weights), streamline (names are
# keyword lists, not names), line-md and svg-spinners (animations).
ICONIFY_SETS: tuple[IconifySet, ...] = (
    IconifySet("ic", "1.2.4", "Apache-2.0", keep=r"^(baseline|outline)-"),
    IconifySet("material-symbols", "1.2.98", "Apache-2.0", keep=r"-rounded$"),
    IconifySet("fluent", "1.2.60", "MIT", keep=r"-24-(regular|filled)$"),
    IconifySet("carbon", "1.2.29", "Apache-2.0"),
    IconifySet("ri", "1.2.10", "Apache-2.0"),
    IconifySet("octicon", "1.2.36", "MIT"),
    IconifySet("codicon", "1.2.74", "CC-BY-4.0"),
    IconifySet("ion", "1.2.7", "MIT", drop=r"^(logo|ios|md)-"),
    IconifySet("bx", "1.2.3", "MIT", drop=r"^bxl-"),
    IconifySet("uil", "1.2.3", "Apache-2.0"),
    IconifySet("heroicons", "1.2.3", "MIT", drop=r"-(16|20)-solid$"),
    IconifySet("mingcute", "1.2.8", "Apache-2.0"),
    IconifySet("iconoir", "1.2.11", "MIT"),
    IconifySet("solar", "1.2.13", "CC-BY-4.0", keep=r"-(linear|bold)$"),
    IconifySet("eva", "1.2.3", "MIT"),
    IconifySet("icon-park-outline", "1.2.4", "Apache-2.0"),
    IconifySet("hugeicons", "1.2.35", "MIT"),
    IconifySet("ant-design", "1.2.9", "MIT"),
    IconifySet("clarity", "1.2.4", "MIT", drop=r"-(badged|alerted)$"),
    IconifySet("akar-icons", "1.2.7", "MIT"),
    IconifySet("humbleicons", "1.2.20", "MIT"),
    IconifySet("gg", "1.2.2", "MIT"),
    IconifySet("radix-icons", "1.2.6", "MIT"),
    IconifySet("system-uicons", "1.2.4", "Unlicense"),
    IconifySet("majesticons", "1.2.5", "MIT"),
    IconifySet("pixelarticons", "1.2.9", "MIT"),
    IconifySet("tdesign", "1.2.19", "MIT"),
    IconifySet("ep", "1.2.4", "MIT"),
    IconifySet("mynaui", "1.2.19", "MIT"),
    IconifySet("basil", "1.2.4", "CC-BY-4.0"),
    IconifySet("lets-icons", "1.2.2", "CC-BY-4.0"),
    IconifySet("pajamas", "1.2.15", "MIT"),
    IconifySet("ooui", "1.2.24", "MIT", drop=r"^logo-"),
    IconifySet("fluent-mdl2", "1.2.1", "MIT"),
    IconifySet("jam", "1.2.3", "MIT"),
    IconifySet("prime", "1.2.5", "MIT"),
    IconifySet("charm", "1.2.3", "MIT"),
    IconifySet("proicons", "1.2.20", "MIT"),
    IconifySet("gravity-ui", "1.2.15", "MIT"),
    IconifySet("qlementine-icons", "1.2.16", "MIT"),
    IconifySet("mage", "1.2.4", "Apache-2.0"),
    IconifySet("stash", "1.2.4", "MIT"),
    IconifySet("lineicons", "1.2.6", "MIT"),
    IconifySet("flowbite", "1.2.7", "MIT"),
    IconifySet("zondicons", "1.2.2", "MIT"),
    IconifySet("eos-icons", "1.2.4", "MIT"),
    IconifySet("teenyicons", "1.2.2", "MIT"),
    IconifySet("circum", "1.2.2", "MPL-2.0"),
    IconifySet("mi", "1.2.2", "MIT"),
    IconifySet("cil", "1.2.3", "CC-BY-4.0"),
)

_PREFIXES = re.compile(r"^(baseline|outline|round|sharp|twotone|bxs|bx|l)-")
# Style and size words that end names in sets that draw each glyph in several styles
# ("save-24-regular", "home-8-line", "film-01"). A word is stripped only where the set uses
# it as a style marker (it ends >= 5 % of the set's names): "chart-line" keeps its "line"
# in a set that has no "-line" style.
_STYLE_SUFFIXES = frozenset({"outline", "outlined", "rounded", "round", "sharp", "fill", "filled", "solid", "line",
                             "linear", "bold", "duotone", "broken", "light", "thin", "regular", "twotone", "mini",
                             "micro", "f", "compact", "stroke"})
# A number after these words is the meaning ("number 9"), not a variant index.
_NUMBERED = {"number", "numeric", "counter", "digit", "looks", "filter", "dice", "timer", "letter", "grade",
             "exposure", "h", "heading"}


def style_suffixes(names: list[str]) -> frozenset[str]:
    """The style words a set uses as name endings (each ends >= 5 % of its names, and two at least)."""
    ending: dict[str, int] = {}
    for name in names:
        words = re.split(r"[-_]+", _PREFIXES.sub("", name.lower()))
        while len(words) > 1 and (words[-1] in _STYLE_SUFFIXES or words[-1].isdigit()):
            ending[words[-1]] = ending.get(words[-1], 0) + 1    # "-outline-sharp": both count
            words.pop()
    return frozenset(w for w, n in ending.items() if w in _STYLE_SUFFIXES and n >= max(2, 0.05 * len(names)))


@dataclass(frozen=True)
class IconifyIcon:
    """One drawable icon of a package, aliases included."""

    name: str
    svg: str
    aliases: tuple[str, ...] = ()


def concept_name(name: str, styles: frozenset[str] = frozenset()) -> str:
    """``"baseline-save"``, ``"save-24-regular"``, ``"save-alt-2-line"`` → ``"save"`` (hyphenated, lower case).

    ``styles`` are the set's style suffixes (:func:`style_suffixes`); trailing
    numbers are variant indices or pixel sizes unless they follow a word like
    "number"; "alt" marks an alternative drawing of the same concept.
    """
    name = _PREFIXES.sub("", name.lower())
    words = [w for w in re.split(r"[-_\s]+", name) if w]
    while len(words) > 1:
        last, before = words[-1], words[-2]
        if last in styles or last == "alt" or (last.isdigit() and before not in _NUMBERED):
            words.pop()
        else:
            break
    return "-".join(words)


def _svg(icon: dict, default: dict) -> str:
    left, top = icon.get("left", default.get("left", 0)), icon.get("top", default.get("top", 0))
    width, height = icon.get("width", default.get("width", 16)), icon.get("height", default.get("height", 16))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} {height}" '
            f'width="{width}" height="{height}">{icon["body"]}</svg>')


def _root(alias: str, aliases: dict, icons: dict) -> str | None:
    """The icon an alias stands for, or None when any hop flips or rotates it (a different glyph)."""
    seen: set[str] = set()
    while alias in aliases and alias not in seen:
        seen.add(alias)
        entry = aliases[alias]
        if any(entry.get(k) for k in ("rotate", "hFlip", "vFlip")):
            return None
        alias = entry.get("parent", "")
    return alias if alias in icons else None


def parse_iconify(data: dict) -> list[IconifyIcon]:
    """Every visible icon of one IconifyJSON document with its (untransformed) aliases."""
    icons = data.get("icons", {})
    aliases = data.get("aliases", {}) or {}
    by_root: dict[str, list[str]] = {}
    for alias in sorted(aliases):
        root = _root(alias, aliases, icons)
        if root is not None and not aliases[alias].get("hidden"):
            by_root.setdefault(root, []).append(alias)
    default = {k: data[k] for k in ("left", "top", "width", "height") if k in data}
    out = []
    for name in sorted(icons):
        icon = icons[name]
        # QtSvg's <mask> support is partial; animations render as their empty first frame.
        if icon.get("hidden") or "<mask" in icon["body"] or "<animate" in icon["body"]:
            continue
        out.append(IconifyIcon(name, _svg(icon, default), tuple(by_root.get(name, ()))))
    return out


def group_concepts(icons: list[IconifyIcon], spec: IconifySet) -> dict[str, list[IconifyIcon]]:
    """``concept name → icons`` after the set's keep/drop filters, at most :data:`MAX_FILES` each."""
    groups: dict[str, list[IconifyIcon]] = {}
    styles = style_suffixes([i.name for i in icons])
    for icon in icons:
        if (spec.keep and not re.search(spec.keep, icon.name)) or (spec.drop and re.search(spec.drop, icon.name)):
            continue
        if "logo" in icon.name.split("-"):
            continue   # brand logos are names of companies, not actions
        groups.setdefault(concept_name(icon.name, styles), []).append(icon)
    return {k: sorted(v, key=lambda i: (len(i.name), i.name))[:MAX_FILES] for k, v in sorted(groups.items())}


def package_dir(prefix: str) -> Path:
    """Where ``npm pack`` of ``@iconify-json/<prefix>`` is unpacked."""
    return CACHE / "npm" / f"iconify-json-{prefix}" / "package"


def materialise(spec: IconifySet) -> dict[str, list[tuple[Path, tuple[str, ...]]]]:
    """Write the set's kept icons as SVG files (once); ``concept → [(file, its names)]``.

    The names are the file's own name and its aliases, variant words
    stripped like the concept's ("baseline-save-alt" → "save").
    """
    data = json.loads((package_dir(spec.prefix) / "icons.json").read_text())
    folder = SVG_DIR / spec.prefix
    folder.mkdir(parents=True, exist_ok=True)
    icons = parse_iconify(data)
    styles = style_suffixes([i.name for i in icons])
    out: dict[str, list[tuple[Path, tuple[str, ...]]]] = {}
    for concept, group in group_concepts(icons, spec).items():
        for icon in group:
            path = folder / f"{icon.name}.svg"
            if not path.exists():
                path.write_text(icon.svg)
            names = dict.fromkeys(concept_name(n, styles) for n in (icon.name, *icon.aliases))
            out.setdefault(concept, []).append((path, tuple(names)))
    return out
