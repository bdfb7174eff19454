"""Files and folders named the way people say them, on a real file manager's icon view (pcmanfm, GTK)."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.grounding.engine import Engine

SHOT = Path(__file__).resolve().parents[1] / "fixtures" / "screens" / "gtk_file_manager_icons.png"
#: Item columns (x ranges) and rows (y ranges) of the crop: folders first, then files by name.
ITEMS = {"Documents": ((20, 100), (0, 80)), "Music": ((115, 190), (0, 80)), "budget.xlsx": ((300, 380), (0, 80)),
         "report.pdf": ((115, 190), (80, 160))}


@pytest.fixture(scope="module")
def engine_and_image():
    return Engine(sources=["ocr", "controls"], semantic=False), np.asarray(Image.open(SHOT).convert("RGB"))


@pytest.mark.parametrize("instruction, item", [
    ("double-click the Music folder", "Music"), ("open the Documents folder", "Documents"),
    ("double-click the budget file", "budget.xlsx"), ("double-click the report.pdf icon", "report.pdf"),
    ("double-click report.pdf", "report.pdf"),
])
def test_the_named_item_is_found(engine_and_image, instruction, item):
    engine, image = engine_and_image
    best = engine.ground(image, instruction).best
    (x0, x1), (y0, y1) = ITEMS[item]
    assert best is not None and x0 <= best.x <= x1 and y0 <= best.y <= y1, (instruction, best)
