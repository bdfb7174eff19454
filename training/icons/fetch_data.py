"""Fetch the icon sets the icon model learns from into the gitignored ``data-cache/icons``.

npm packages (the sets above and the ``@iconify-json/*`` sets of\n:mod:`training.icons.iconify`) come through ``npm pack`` (the registry's own client, exact
versions pinned below so a rerun sees the same data); Debian themes through
``apt-get download`` + ``dpkg -x``. Nothing here runs at app run time.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import tarfile
from pathlib import Path

__all__ = ["NPM_PACKAGES", "DEB_PACKAGES", "CACHE", "fetch"]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "data-cache" / "icons"

#: name → version; pinned so a rerun trains on the same icons.
NPM_PACKAGES = {
    "@mdi/svg": "7.4.47",
    "@tabler/icons": "3.51.0",
    "lucide-static": "1.62.0",
    "@fortawesome/fontawesome-free": "7.3.1",
    "@phosphor-icons/core": "2.1.1",
    "bootstrap-icons": "1.13.2",
}
#: Debian themes; the last three (not drawn from GNOME or Tango) only train the ``wide2`` recipe.
DEB_PACKAGES = ("adwaita-icon-theme", "papirus-icon-theme", "breeze-icon-theme", "elementary-icon-theme",
                "numix-icon-theme", "deepin-icon-theme")


def _npm_dir(name: str) -> Path:
    return CACHE / "npm" / name.replace("@", "").replace("/", "-")


def _fetch_npm(name: str, version: str) -> None:
    target = _npm_dir(name)
    if (target / "package" / "package.json").exists():
        return
    work = CACHE / "npm"
    work.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(["npm", "pack", "--json", f"{name}@{version}"], cwd=work, check=True,
                         capture_output=True, text=True).stdout
    tgz = work / json.loads(out)[0]["filename"]
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as tar:
        tar.extractall(target, filter="data")
    logger.info("npm %s@%s → %s", name, version, target)


def _phosphor_metadata() -> None:
    """Phosphor keeps its tags in JS; dump them once to JSON with node."""
    pkg = _npm_dir("@phosphor-icons/core") / "package"
    meta = pkg / "icons-meta.json"
    if meta.exists():
        return
    script = ("const p=require(process.argv[1]);"
              "process.stdout.write(JSON.stringify(p.icons.map(i=>({name:i.name,tags:i.tags}))))")
    out = subprocess.run(["node", "-e", script, str(pkg / "dist" / "index.umd.js")], check=True,
                         capture_output=True, text=True).stdout
    meta.write_text(out)


def _fetch_deb(name: str) -> None:
    target = CACHE / "deb" / name
    if (target / "usr").exists():
        return
    work = CACHE / "deb"
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", name], cwd=work, check=True, capture_output=True)
    deb = sorted(work.glob(f"{name}_*.deb"))[-1]
    subprocess.run(["dpkg", "-x", str(deb), str(target)], check=True)
    logger.info("deb %s → %s", deb.name, target)


def fetch() -> Path:
    """Fetch every set (skipping those already there) and return the cache folder."""
    from training.icons.iconify import ICONIFY_SETS   # imports this module: import here, not at the top

    packages = dict(NPM_PACKAGES) | {f"@iconify-json/{s.prefix}": s.version for s in ICONIFY_SETS}
    for name, version in packages.items():
        _fetch_npm(name, version)
    _phosphor_metadata()
    for name in DEB_PACKAGES:
        _fetch_deb(name)
    return CACHE


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    fetch()


if __name__ == "__main__":
    main()
