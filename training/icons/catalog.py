"""Every icon of every fetched set as one record: its names, synonyms and SVG files.

Names are turned into the words a person would say ("document-save-symbolic"
→ "document save"); style words that say nothing about meaning ("outline",
"filled", "symbolic") are dropped so that "trash outline" and "trash" are
one concept.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from training.icons.fetch_data import CACHE
from training.icons.iconify import ICONIFY_SETS, IconifySet, materialise
from training.icons.recipe import BASE_SETS
from training.icons.recipe import active as active_recipe

__all__ = ["IconRecord", "SETS", "HELD_OUT", "load_catalog", "humanize"]

#: Sets never seen in training; the held-out evaluation runs on them.
HELD_OUT = ("lucide", "adwaita")
#: The active recipe's training sets, then the held-out ones (see :mod:`training.icons.recipe`).
SETS = (*BASE_SETS, *active_recipe().themes, *(s.prefix for s in ICONIFY_SETS if active_recipe().iconify),
        *HELD_OUT)

_STYLE_WORDS = {"outline", "outlined", "filled", "fill", "solid", "symbolic", "regular", "bold",
                "thin", "light", "duotone", "line", "sharp", "rtl", "ltr"}
NAME_W, ALIAS_W, TAG_W = 1.0, 0.7, 0.35


@dataclass
class IconRecord:
    """One icon concept of one set."""

    set: str
    name: str                      # human-readable primary name
    files: list[Path] = field(default_factory=list)
    #: (text, weight): name 1.0, aliases 0.7, tags 0.35
    words: dict[str, float] = field(default_factory=dict)

    def add(self, text: str, weight: float) -> None:
        text = humanize(text)
        if text and len(text) <= 40 and weight > self.words.get(text, 0.0):
            self.words[text] = weight


def humanize(name: str) -> str:
    """``"content-save-outline"`` → ``"content save"``; lower case, style words dropped."""
    name = re.sub(r"\.(svg|png)$", "", name.strip().lower())
    words = [w for w in re.split(r"[-_\s/.,]+", name) if w and w not in _STYLE_WORDS]
    return " ".join(words)


def _npm(pkg: str) -> Path:
    return CACHE / "npm" / pkg / "package"


def _mdi() -> list[IconRecord]:
    out = []
    for item in json.loads((_npm("mdi-svg") / "meta.json").read_text()):
        if item.get("deprecated"):
            continue
        rec = IconRecord("mdi", humanize(item["name"]), [_npm("mdi-svg") / "svg" / f"{item['name']}.svg"])
        rec.add(item["name"], NAME_W)
        for alias in item.get("aliases", []):
            rec.add(alias, ALIAS_W)
        out.append(rec)   # mdi "tags" are only broad categories ("Developer / Languages"): left out
    return out


def _tabler() -> list[IconRecord]:
    root = _npm("tabler-icons")
    out = []
    for name, item in json.loads((root / "icons.json").read_text()).items():
        files = [root / "icons" / style / f"{name}.svg" for style in ("outline", "filled")]
        rec = IconRecord("tabler", humanize(name), [f for f in files if f.exists()])
        rec.add(name, NAME_W)
        for tag in item.get("tags", []):
            rec.add(str(tag), TAG_W)
        out.append(rec)
    return out


def _lucide() -> list[IconRecord]:
    root = _npm("lucide-static")
    out = []
    for name, tags in json.loads((root / "tags.json").read_text()).items():
        rec = IconRecord("lucide", humanize(name), [root / "icons" / f"{name}.svg"])
        rec.add(name, NAME_W)
        for tag in tags:
            rec.add(str(tag), TAG_W)
        out.append(rec)
    return out


def _fontawesome() -> list[IconRecord]:
    root = _npm("fortawesome-fontawesome-free")
    meta = yaml.safe_load((root / "metadata" / "icons.yml").read_text())
    out = []
    for name, item in meta.items():
        files = [root / "svgs" / style / f"{name}.svg" for style in item.get("styles", [])]
        files = [f for f in files if f.exists()]
        if not files or "brands" in item.get("styles", []):
            continue  # brand logos are names of companies, not actions
        rec = IconRecord("fontawesome", humanize(name), files)
        rec.add(name, NAME_W)
        rec.add(str(item.get("label", "")), ALIAS_W)
        for term in (item.get("search") or {}).get("terms") or []:
            rec.add(str(term), TAG_W)
        out.append(rec)
    return out


def _phosphor() -> list[IconRecord]:
    root = _npm("phosphor-icons-core")
    out = []
    for item in json.loads((root / "icons-meta.json").read_text()):
        name = item["name"]
        files = [root / "assets" / "regular" / f"{name}.svg", root / "assets" / "bold" / f"{name}-bold.svg",
                 root / "assets" / "fill" / f"{name}-fill.svg", root / "assets" / "light" / f"{name}-light.svg"]
        rec = IconRecord("phosphor", humanize(name), [f for f in files if f.exists()])
        rec.add(name, NAME_W)
        for tag in item.get("tags", []):
            if not tag.startswith("*"):
                rec.add(str(tag), TAG_W)
        out.append(rec)
    return out


def _bootstrap() -> list[IconRecord]:
    groups: dict[str, IconRecord] = {}
    for path in sorted((_npm("bootstrap-icons") / "icons").glob("*.svg")):
        key = humanize(path.stem)
        rec = groups.setdefault(key, IconRecord("bootstrap", key))
        rec.files.append(path)
        rec.add(path.stem, NAME_W)
    return list(groups.values())


def _theme(set_name: str, dirs: list[Path]) -> list[IconRecord]:
    """A freedesktop theme: real files are icons, symlinks to them are aliases."""
    groups: dict[str, IconRecord] = {}
    aliases: dict[Path, list[str]] = defaultdict(list)
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.svg")):
            if path.is_symlink():
                aliases[path.resolve()].append(path.stem)
                continue
            key = humanize(path.stem)
            if not key:
                continue
            rec = groups.setdefault(key, IconRecord(set_name, key))
            rec.files.append(path)
            rec.add(path.stem, NAME_W)
    for rec in groups.values():
        for f in rec.files:
            for alias in aliases.get(f.resolve(), []):
                rec.add(alias, ALIAS_W)
    return list(groups.values())


def _deb(theme: str) -> Path:
    pkg = {"Adwaita": "adwaita-icon-theme", "Papirus": "papirus-icon-theme", "breeze": "breeze-icon-theme",
           "elementary": "elementary-icon-theme", "Numix": "numix-icon-theme", "bloom": "deepin-icon-theme"}[theme]
    return CACHE / "deb" / pkg / "usr" / "share" / "icons" / theme


def _adwaita() -> list[IconRecord]:
    root = _deb("Adwaita") / "scalable"
    return _theme("adwaita", sorted(p for p in root.iterdir() if p.name != "legacy"))


def _papirus() -> list[IconRecord]:
    root = _deb("Papirus")
    dirs = [root / "symbolic" / d for d in ("actions", "devices", "places", "status", "emblems", "categories")]
    return _theme("papirus", dirs + [root / "24x24" / "actions"])


def _breeze() -> list[IconRecord]:
    root = _deb("breeze")
    return _theme("breeze", [root / d / "22" for d in ("actions", "places", "status", "devices", "emblems")])


def _elementary() -> list[IconRecord]:
    # Only the monochrome symbolic folders: the coloured sizes become solid blobs as coverage masks.
    root = _deb("elementary")
    return _theme("elementary", [root / d / "symbolic" for d in ("actions", "devices", "places", "status",
                                                                 "emblems", "categories")])


def _numix() -> list[IconRecord]:
    root = _deb("Numix") / "scalable"       # the symbolic ones; 16–64 px are coloured
    return _theme("numix", [root / d for d in ("actions", "devices", "places", "status", "emblems")])


def _deepin() -> list[IconRecord]:
    return _theme("deepin", [_deb("bloom") / "actions" / "24"])   # Deepin's own line-style actions


def _iconify(spec: IconifySet) -> list[IconRecord]:
    """One ``@iconify-json`` set: a concept per stripped name; the files' own names and aliases as aliases."""
    out = []
    for concept, files in materialise(spec).items():
        rec = IconRecord(spec.prefix, humanize(concept), [path for path, _ in files])
        rec.add(concept, NAME_W)
        for _, names in files:
            for name in names:
                rec.add(name, ALIAS_W)
        out.append(rec)
    return out


_LOADERS = {"mdi": _mdi, "tabler": _tabler, "fontawesome": _fontawesome, "phosphor": _phosphor,
            "bootstrap": _bootstrap, "papirus": _papirus, "breeze": _breeze, "lucide": _lucide,
            "adwaita": _adwaita, "elementary": _elementary, "numix": _numix, "deepin": _deepin}


def load_catalog(sets: tuple[str, ...] = SETS) -> list[IconRecord]:
    """All icons of ``sets`` that have at least one SVG file and one name."""
    iconify = {s.prefix: s for s in ICONIFY_SETS}
    out = []
    for name in sets:
        records = _iconify(iconify[name]) if name in iconify else _LOADERS[name]()
        out.extend(r for r in records if r.files and r.words and r.name)
    return out


if __name__ == "__main__":
    for set_name in SETS:
        recs = load_catalog((set_name,))
        print(f"{set_name:12s} {len(recs):6d} icons {sum(len(r.files) for r in recs):6d} files")
