"""The icon model's name vocabulary: short names always, long standard names only when sets share them."""

from pathlib import Path

from training.icons.catalog import IconRecord
from training.icons.vocab import build_vocabulary


def _icon(set_name: str, words: dict[str, float]) -> IconRecord:
    return IconRecord(set=set_name, name=next(iter(words)), files=[Path("x.svg")], words=words)


def test_short_names_and_shared_tags_are_kept_and_lone_long_names_are_not() -> None:
    records = [_icon("a", {"document save": 1.0, "floppy": 0.35}),
               _icon("b", {"document save": 1.0, "floppy": 0.35, "media playback start": 1.0}),
               _icon("a", {"trash": 1.0, "bin": 0.35, "network wireless signal good": 1.0})]
    assert build_vocabulary(records) == ["document save", "floppy", "trash"]   # one-off tag "bin" left out
    # "media playback start" is only one set's name, the 4-word one too
    assert build_vocabulary(records, shared_long_names=True) == ["document save", "floppy", "trash"]


def test_long_names_two_sets_share_join_with_shared_long_names() -> None:
    records = [_icon("theme-a", {"media playback start": 1.0, "media play": 0.7}),
               _icon("theme-b", {"player": 1.0, "media playback start": 0.7}),
               _icon("theme-c", {"go next view page": 0.35, "arrow": 1.0}),
               _icon("theme-d", {"go next view page": 0.35, "arrows": 1.0}),
               _icon("theme-a", {"one two three four five": 1.0}),
               _icon("theme-b", {"one two three four five": 1.0})]
    plain = build_vocabulary(records)
    assert "media playback start" not in plain and "media play" in plain
    wide = build_vocabulary(records, shared_long_names=True)
    assert "media playback start" in wide
    assert "go next view page" not in wide          # shared, but only as a tag
    assert "one two three four five" not in wide    # longer than four words
