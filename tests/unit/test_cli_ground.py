"""`click-assist ground` as other tools call it: real models on the shipped example screenshot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "settings-dialog.png"

pytestmark = pytest.mark.slow


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "desktop", "ground", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=240, cwd=ROOT)


def inside(point: dict, box: list[int]) -> bool:
    return box[0] <= point["x"] < box[2] and box[1] <= point["y"] < box[3]


def test_single_json_follows_the_contract():
    out = run(str(EXAMPLE), "click the Remember me checkbox", "--json")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"id", "points", "elapsed_ms"}
    point = obj["points"][0]
    assert set(point) == {"x", "y", "confidence", "label", "box", "source", "action"}
    assert isinstance(point["x"], int) and isinstance(point["y"], int) and 0 <= point["confidence"] <= 1
    assert inside(point, [39, 274, 53, 288])  # the indicator square, not the label
    confidences = [p["confidence"] for p in obj["points"]]
    assert confidences == sorted(confidences, reverse=True)


def test_batch_goes_on_after_bad_lines(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    requests = [
        {"id": "all", "image": str(EXAMPLE), "instruction": "click all checkboxes"},
        {"id": "bad-image", "image": "broken.png", "instruction": "click Save"},
        "this line is not JSON",
        {"id": "empty", "image": str(EXAMPLE), "instruction": "   "},
        {"id": "bounds", "image": str(EXAMPLE), "instruction": "click Save", "min_clicks": 3, "max_clicks": 1},
        {"id": "radios", "image": str(EXAMPLE), "instruction": "click all radio buttons", "max_clicks": 2},
        {"id": "seq", "image": str(EXAMPLE), "instruction": "click Cancel, then Apply"},
        {"id": "zh", "image": str(EXAMPLE), "instruction": "点击所有复选框"},
        {"id": "dbl", "image": str(EXAMPLE), "instruction": "double-click Phone"},
    ]
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in requests) + "\n")
    out = run("--jsonl", str(batch))
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert len(results) == len(requests)
    by_id = {r["id"]: r for r in results}
    assert len(by_id["all"]["points"]) == 5
    assert by_id["bad-image"]["error"]["code"] == "image_unreadable" and by_id["bad-image"]["points"] == []
    assert by_id["line-3"]["error"]["code"] == "invalid_request"
    assert by_id["empty"]["error"]["code"] == "empty_instruction"
    assert by_id["bounds"]["error"]["code"] == "invalid_click_bounds"
    assert len(by_id["radios"]["points"]) == 2
    assert [p["label"] for p in by_id["seq"]["points"]] == ["Cancel", "Apply"]
    assert [p["x"] for p in by_id["zh"]["points"]] == [p["x"] for p in by_id["all"]["points"]]
    assert by_id["dbl"]["points"][0]["action"] == "double_click"


def test_single_mode_errors_exit_nonzero_with_a_message(tmp_path):
    missing = run(str(tmp_path / "nope.png"), "click Save")
    assert missing.returncode == 2 and "nope.png" in missing.stderr and missing.stdout == ""
    empty = run(str(EXAMPLE), "  ", "--json")
    assert empty.returncode == 2
    assert json.loads(empty.stdout)["error"]["code"] == "empty_instruction"
    assert "empty" in empty.stderr.lower()


def test_nothing_matched_prints_no_points_and_says_why():
    out = run(str(EXAMPLE), "click Frobnicate", "--json")
    assert out.returncode == 1
    assert json.loads(out.stdout)["points"] == [] and "Frobnicate" in out.stderr
