"""Freedesktop themes as icon training data: the new themes' loaders, their fetch, and the held-out copy guard."""

from __future__ import annotations

import numpy as np

import training.icons.catalog as catalog
import training.icons.fetch_data as fetch_data
from training.icons.render import held_out_lookalikes

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M2 2h12v12H2z"/></svg>'


def _theme_dir(root, package: str, theme: str, folder: str):  # type: ignore[no-untyped-def]
    path = root / "deb" / package / "usr" / "share" / "icons" / theme / folder
    path.mkdir(parents=True)
    return path


def test_new_themes_read_their_monochrome_folders_with_symlinks_as_aliases(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(catalog, "CACHE", tmp_path)
    numix = _theme_dir(tmp_path, "numix-icon-theme", "Numix", "scalable/actions")
    (numix / "edit-delete-symbolic.svg").write_bytes(SVG)
    (numix / "user-trash-symbolic.svg").symlink_to("edit-delete-symbolic.svg")
    _theme_dir(tmp_path, "numix-icon-theme", "Numix", "16/actions").joinpath("document-save.svg").write_bytes(SVG)
    (_theme_dir(tmp_path, "elementary-icon-theme", "elementary", "actions/symbolic")
     / "document-save-symbolic.svg").write_bytes(SVG)
    (_theme_dir(tmp_path, "elementary-icon-theme", "elementary", "actions/24")
     / "document-open.svg").write_bytes(SVG)                     # coloured size: left out
    (_theme_dir(tmp_path, "deepin-icon-theme", "bloom", "actions/24") / "edit-copy.svg").write_bytes(SVG)

    records = catalog.load_catalog(("numix", "elementary", "deepin"))
    by_set = {(r.set, r.name): r for r in records}
    assert set(by_set) == {("numix", "edit delete"), ("elementary", "document save"), ("deepin", "edit copy")}
    assert by_set["numix", "edit delete"].words == {"edit delete": 1.0, "user trash": 0.7}
    assert len(by_set["numix", "edit delete"].files) == 1        # the symlink is an alias, not a second file


def test_fetch_gets_the_new_debian_themes(monkeypatch) -> None:
    fetched: list[str] = []
    monkeypatch.setattr(fetch_data, "_fetch_npm", lambda name, version: None)
    monkeypatch.setattr(fetch_data, "_phosphor_metadata", lambda: None)
    monkeypatch.setattr(fetch_data, "_fetch_deb", fetched.append)
    fetch_data.fetch()
    assert {"elementary-icon-theme", "numix-icon-theme", "deepin-icon-theme"} <= set(fetched)
    assert "elementary-xfce-icon-theme" not in fetched           # its CC BY-SA Tango glyphs stay out


def test_a_themes_copy_of_a_held_out_glyph_is_found_and_other_sets_are_not_checked() -> None:
    square, bar, square_shifted = (np.zeros((64, 64), np.uint8) for _ in range(3))
    square[8:56, 8:56] = 255
    square_shifted[9:57, 8:56] = 255
    bar[28:36, 4:60] = 255
    masks = np.stack([square_shifted, bar, square, square_shifted])
    sets = ["numix", "adwaita", "papirus"]
    copies = held_out_lookalikes(masks, np.array([0, 0, 1, 2]), sets, {"numix"}, {"adwaita"})
    # numix's square copies adwaita's, its bar does not; papirus's square is not checked
    assert copies.tolist() == [True, False, False, False]
    assert not held_out_lookalikes(masks, np.array([0, 0, 1, 2]), sets, {"numix"}, {"lucide"}).any()
