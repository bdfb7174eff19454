"""The instruction parser, in English and Chinese, and its refusals."""

import pytest
from hypothesis import given, settings, strategies as st

from desktop.core.errors import ClickAssistError, EmptyInstruction, InvalidClickBounds, InvalidInstruction
from desktop.core.parser import parse_instruction


def one(text):
    intent = parse_instruction(text)
    assert len(intent.steps) == 1, intent.steps
    return intent.steps[0]


@pytest.mark.parametrize("text, action, target", [
    ("click Save", "click", "Save"),
    ("press OK", "click", "OK"),
    ("tap the Next button", "click", "Next"),
    ("open Settings", "click", "Settings"),
    ("double-click the report.pdf icon", "double_click", "report.pdf"),
    ("double click on report.pdf", "double_click", "report.pdf"),
    ("right click the file", "right_click", "file"),
    ("right-click on Trash", "right_click", "Trash"),
    ("Save", "click", "Save"),
    ("please click Apply for me", "click", "Apply"),
    ("click on 7", "click", "7"),
    ("click ×", "click", "×"),
])
def test_action_and_target(text, action, target):
    step = one(text)
    assert (step.action, step.target) == (action, target)


def test_role_words_are_taken_out_of_the_target():
    step = one("click the Remember me checkbox")
    assert step.target == "Remember me" and step.roles[0] == "checkbox" and step.role_explicit
    step = one("click the button labelled Apply")
    assert step.target == "Apply" and step.roles[0] == "button"
    assert one("click the Country dropdown").roles[0] == "dropdown"
    assert one("click the Email field").roles[0] == "field"
    assert one("click the Files tab").roles[0] == "tab"


def test_quantities():
    step = one("click all checkboxes")
    assert step.select_all and step.target == "" and step.roles[0] == "checkbox"
    assert one("click every tab").select_all
    assert one("click checkboxes").select_all  # a plural role means all of them
    step = one("click the first three links")
    assert (step.count, step.ordinal, step.roles[0]) == (3, 1, "link")
    assert one("click both checkboxes").count == 2
    assert not one("click Select all").select_all


@pytest.mark.parametrize("text, ordinal", [
    ("click the second Save button", 2), ("click the 3rd checkbox", 3), ("click the last link", -1),
    ("click the second to last tab", -2), ("click the next to last tab", -2), ("click the first tab", 1),
])
def test_ordinals(text, ordinal):
    assert one(text).ordinal == ordinal


def test_relations():
    step = one("click the checkbox left of Remember me")
    assert step.relation.kind == "left_of" and step.relation.anchor == "Remember me" and step.target == ""
    step = one("click Save in the Export dialog")
    assert step.target == "Save" and step.relation.kind == "inside" and step.relation.anchor == "Export"
    assert one("click the button below Password").relation.kind == "below"
    assert one("click the icon to the right of Search").relation.kind == "right_of"
    assert one("click the checkbox next to Wi-Fi").relation.kind == "near"


def test_sequences_keep_order_and_inherit_the_action():
    steps = parse_instruction("click Bold, then Italic").steps
    assert [s.target for s in steps] == ["Bold", "Italic"]
    steps = parse_instruction("double-click A; then B").steps
    assert [s.action for s in steps] == ["double_click", "double_click"]
    steps = parse_instruction("select vim and git and click Submit").steps
    assert [s.target for s in steps] == ["vim and git", "Submit"]
    assert steps[0].conjuncts == ("vim", "git")


def test_quoted_text_is_exact_and_keeps_keywords():
    step = one('click "Save all then close"')
    assert step.target == "Save all then close" and step.quoted and not step.select_all


def test_literal_keeps_the_phrase_for_labels_with_keywords():
    step = one("click First name")
    assert step.literal == "First name"


def test_check_verbs_hint_at_checkables_softly():
    step = one("tick Enable sync")
    assert step.target == "Enable sync" and "checkbox" in step.roles and not step.role_explicit


@pytest.mark.parametrize("text, action, target, roles, select_all, ordinal", [
    ("点击保存", "click", "保存", (), False, None),
    ("单击所有复选框", "click", "", ("checkbox",), True, None),
    ("双击报告.pdf图标", "double_click", "报告.pdf", ("icon",), False, None),
    ("右键单击文件", "right_click", "文件", (), False, None),
    ("点击第二个链接", "click", "", ("link",), False, 2),
    ("点击最后一个选项卡", "click", "", ("tab",), False, -1),
    ("请点击确定按钮", "click", "确定", ("button",), False, None),
])
def test_chinese(text, action, target, roles, select_all, ordinal):
    intent = parse_instruction(text)
    step = intent.steps[0]
    assert intent.language == "zh"
    assert (step.action, step.target, step.select_all, step.ordinal) == (action, target, select_all, ordinal)
    assert step.roles[:len(roles)] == roles


def test_chinese_relation_and_sequence():
    step = parse_instruction("点击记住我左边的复选框").steps[0]
    assert step.relation.kind == "left_of" and step.relation.anchor == "记住我" and step.roles[0] == "checkbox"
    steps = parse_instruction("点击保存，然后点击取消").steps
    assert [s.target for s in steps] == ["保存", "取消"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", "?!"])
def test_empty_instructions_are_refused(text):
    with pytest.raises(EmptyInstruction):
        parse_instruction(text)


def test_too_long_and_targetless_instructions_are_refused():
    with pytest.raises(InvalidInstruction):
        parse_instruction("click " + "x" * 600)
    with pytest.raises(InvalidInstruction):
        parse_instruction("click")


@pytest.mark.parametrize("lo, hi", [(3, 1), (-1, None), (None, -2)])
def test_bad_click_bounds(lo, hi):
    with pytest.raises(InvalidClickBounds):
        parse_instruction("click Save", min_clicks=lo, max_clicks=hi)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_fuzz_never_crashes(text):
    try:
        intent = parse_instruction(text)
    except ClickAssistError:
        return
    assert intent.steps
    for step in intent.steps:
        assert step.action in ("click", "double_click", "right_click")
        assert step.target or step.roles or step.relation


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["click", "the", "all", "second", "last", "checkbox", "Save", "then", ",",
                                 "left of", "in the", "dialog", '"', "and", "点击", "所有", "复选框", "第二个",
                                 "double-click", "icons", "3", "three", "first", "button", "of"]),
                min_size=1, max_size=12))
def test_fuzz_keyword_soup(words):
    try:
        parse_instruction(" ".join(words))
    except ClickAssistError:
        pass


def test_a_verb_alone_after_then_is_a_label():
    steps = parse_instruction("click Cancel and then Open").steps
    assert [s.target for s in steps] == ["Cancel", "Open"]
    assert one("Close").target == "Close"


def test_a_number_before_a_singular_role_is_a_label_not_a_count():
    step = one("click the 4 key")
    assert (step.target, step.count) == ("4", 1)
    assert one("click the 3 buttons").count == 3


def test_soft_role_words_hint_without_demanding():
    step = one("click the Dark option")
    assert step.target == "Dark" and step.roles[0] == "radio" and not step.role_explicit
    assert one("check the Sort by date box").target == "Sort by date"
    assert one("click the Country drop-down list").roles[0] == "dropdown"


@pytest.mark.parametrize("text, target, role", [
    ("click .", ".", None), ("click the . button", ".", "button"), ("press the , key", ",", "button"),
])
def test_a_lone_decimal_key_is_a_target_not_punctuation(text, target, role):
    step = one(text)
    assert step.target == target
    assert role is None or role in step.roles


@pytest.mark.parametrize("text, targets", [
    ("click Save.", ["Save"]), ("click OK .", ["OK"]), ("click Save, then Open.", ["Save", "Open"]),
    ("click Save .", ["Save"]),
])
def test_sentence_punctuation_is_still_dropped(text, targets):
    assert [s.target for s in parse_instruction(text).steps] == targets


def test_punctuation_alone_is_still_empty():
    with pytest.raises(EmptyInstruction):
        parse_instruction(" . ")


@pytest.mark.parametrize("text, target, state, goal, many", [
    ("tick Remember me", "Remember me", "", "checked", False),
    ("untick Remember me", "Remember me", "", "unchecked", False),
    ("turn off Wi-Fi", "Wi-Fi", "", "unchecked", False),
    ("toggle Wrap lines", "Wrap lines", "", "", False),
    ("click Remember me", "Remember me", "", "", False),
    ("uncheck all checkboxes", "", "", "unchecked", True),
    ("check all the boxes", "", "", "checked", True),
    ("tick all unchecked checkboxes", "", "unchecked", "checked", True),
    ("click every checked checkbox", "", "checked", "", True),
    ("uncheck every ticked box", "", "checked", "unchecked", True),
    ("tick the empty boxes", "", "unchecked", "checked", True),
    ("check the second empty box", "", "unchecked", "checked", False),
    # A label that starts with a state word stays the label; an empty box may be a text box.
    ("tick Empty trash on exit", "Empty trash on exit", "", "checked", False),
    ("click the empty box", "empty", "", "", False),
])
def test_the_state_a_check_box_is_asked_to_be_in(text, target, state, goal, many):
    step = one(text)
    assert (step.target, step.state, step.goal, step.select_all) == (target, state, goal, many)
    if state:
        assert "checkbox" in step.roles and step.literal == ""


@pytest.mark.parametrize("text, goal, many", [
    ("勾选所有复选框", "checked", True), ("取消勾选记住我", "unchecked", False), ("启用同步", "checked", False),
    ("点击保存", "", False),
])
def test_chinese_check_verbs_say_the_state_wanted(text, goal, many):
    step = one(text)
    assert (step.goal, step.select_all) == (goal, many)


@pytest.mark.parametrize("text, target", [
    ("double-click the Music folder", "Music"), ("open the Downloads folder", "Downloads"),
    ("double-click the budget file", "budget"),
])
def test_a_folder_or_file_is_named_by_its_label(text, target):
    step = one(text)
    assert step.target == target and "icon" in step.roles and not step.role_explicit
    assert step.literal == text.split(" the ", 1)[1]  # a label that says it all still wins


def test_file_alone_is_a_label_not_a_kind():
    assert one("click File").target == "File" and one("click the File menu").roles[0] == "menu"


def test_a_hint_word_alone_is_a_role_only_beside_a_position_or_neighbour():
    box = parse_instruction("click the box next to Dark mode").steps[0]
    assert (box.target, box.roles[0], box.relation.anchor) == ("", "checkbox", "Dark mode")
    assert parse_instruction("click the third file").steps[0].ordinal == 3
    # Alone it may be a label: the File menu, an "Option" button.
    assert parse_instruction("click file").steps[0].target == "file"
    assert parse_instruction("click the option").steps[0].target == "option"


def test_untick_all_is_every_box_but_click_all_is_a_label():
    step = parse_instruction("untick all").steps[0]
    assert (step.target, step.select_all, step.goal) == ("", True, "unchecked")
    assert parse_instruction("tick everything").steps[0].select_all
    assert parse_instruction("click all").steps[0].target == "all"


def test_a_part_of_a_named_container_is_a_relation():
    step = parse_instruction("click the close button of the Untitled tab").steps[0]
    assert (step.target, step.relation.kind, step.relation.anchor) == ("close", "inside", "Untitled")


def test_the_only_list_or_window_named_by_its_kind_adds_nothing():
    step = parse_instruction("click the last item in the list").steps[0]
    assert (step.target, step.roles, step.ordinal, step.relation) == ("", ("listitem",), -1, None)
    assert parse_instruction("click Save in the dialog").steps[0].target == "Save"
    assert parse_instruction("click Save in the Export dialog").steps[0].relation.anchor == "Export"


def test_left_of_a_label_ending_in_a_container_word_stays_left_of():
    step = parse_instruction("click the radio button left of Home page").steps[0]
    assert (step.relation.kind, step.relation.anchor) == ("left_of", "Home page")


def test_a_label_starting_with_a_plural_or_picture_word_is_a_label():
    folder = parse_instruction("open the photos folder").steps[0]
    assert (folder.target, folder.select_all) == ("photos", False) and folder.roles[0] == "icon"
    assert parse_instruction("click Image Viewer").steps[0].target == "Image Viewer"
    assert parse_instruction("click button OK").steps[0].target == "OK"
    assert parse_instruction("click the second file").steps[0].target == "file"   # no file detector to count
    assert parse_instruction("click the address bar").steps[0].roles[0] == "field"
