"""App commands in the instruction bar: "show numbers" and "show grid", English and Chinese."""

from __future__ import annotations

import pytest

from desktop.core.commands import AppCommand, ModeAction, mode_action, parse_command


@pytest.mark.parametrize("text", ["show numbers", "Show Numbers.", "numbers", "please show numbers",
                                  "显示数字", "显示编号。", "show labels"])
def test_numbers(text: str) -> None:
    assert parse_command(text) is AppCommand.NUMBERS


@pytest.mark.parametrize("text", ["show grid", "Grid", "mouse grid", "MouseGrid!", "显示网格", "请显示网格"])
def test_grid(text: str) -> None:
    assert parse_command(text) is AppCommand.GRID


@pytest.mark.parametrize("text", ["click Numbers", "click the grid", "show numbers tab", "click 显示数字",
                                  "numbers and grid", "", "click Save"])
def test_instructions_are_not_commands(text: str) -> None:
    assert parse_command(text) is None


@pytest.mark.parametrize("text, kind, value", [
    ("five", "number", 5), ("twenty three", "number", 23), ("forty-two", "number", 42), ("12", "number", 12),
    ("number 7", "number", 7), ("one two", "number", 12), ("十二", "number", 12), ("二十", "number", 20),
    ("五号", "number", 5), ("click", "accept", 0), ("确定", "accept", 0), ("go back", "back", 0),
    ("返回", "back", 0), ("next page", "next_page", 0), ("previous page", "previous_page", 0),
    ("cancel", "cancel", 0), ("banana", "unknown", 0),
])
def test_what_is_said_on_numbers_and_the_grid(text: str, kind: str, value: int) -> None:
    assert mode_action(text) == ModeAction(kind, value)
