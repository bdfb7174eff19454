"""From candidates (hand-made, as a source would report them) to ordered predictions."""

from desktop.core.calibration import Calibrator, Features
from desktop.core.geometry import Box
from desktop.core.parser import parse_instruction
from desktop.core.resolve import resolve
from desktop.core.results import Candidate

CAL = Calibrator()


def text(t, x, y, w=None, h=16):
    w = w or 9 * len(t)
    return Candidate(Box(x, y, x + w, y + h), t, "text", "ocr", 0.95)


def checkbox(label, x, y, checked=False):
    box = Box(x, y, x + 14, y + 14)
    lab = Box(x + 20, y - 1, x + 20 + 9 * len(label), y + 15)
    return Candidate(box, label, "checkbox", "controls", 0.9, label_box=lab,
                     states=frozenset({"checked"}) if checked else frozenset())


FORM = [
    text("Account settings", 20, 10),
    checkbox("Remember me", 20, 50), text("Remember me", 40, 49),
    checkbox("Enable sync", 20, 80), text("Enable sync", 40, 79),
    checkbox("Send reports", 20, 110), text("Send reports", 40, 109),
    text("Save", 300, 200), text("Cancel", 360, 200),
    text("Export", 20, 300), text("Save", 300, 400),
]


def ground(instruction, cands=FORM, **kw):
    return resolve(parse_instruction(instruction, **kw), cands, CAL)


def inside(pred, box):
    return box.contains(pred.x, pred.y)


def test_text_target():
    res = ground("click Cancel")
    assert inside(res.predictions[0], Box(360, 200, 414, 216))
    assert res.predictions[0].confidence > 0.7


def test_checkbox_by_label_lands_on_the_indicator():
    res = ground("click the Enable sync checkbox")
    assert inside(res.predictions[0], Box(20, 80, 34, 94)) and res.predictions[0].role == "checkbox"
    res = ground("tick Send reports")
    assert inside(res.predictions[0], Box(20, 110, 34, 124))


def test_all_checkboxes_are_every_indicator_and_nothing_else():
    res = ground("click all checkboxes")
    assert len(res.predictions) == 3
    assert all(p.role == "checkbox" for p in res.predictions)


def test_ordinals_follow_reading_order():
    assert inside(ground("click the second checkbox").predictions[0], Box(20, 80, 34, 94))
    assert inside(ground("click the last checkbox").predictions[0], Box(20, 110, 34, 124))
    res = ground("click the second Save")
    assert inside(res.predictions[0], Box(300, 400, 336, 416))


def test_relation_picks_the_neighbour():
    res = ground("click the checkbox left of Enable sync")
    assert inside(res.predictions[0], Box(20, 80, 34, 94))
    res = ground("click Save below Export")
    assert inside(res.predictions[0], Box(300, 400, 336, 416))


def test_two_equal_matches_share_the_confidence():
    single = ground("click Cancel").predictions[0].confidence
    ambiguous = ground("click Save").predictions[0].confidence
    assert ambiguous < single
    assert len(ground("click Save").predictions) >= 2  # the other Save is offered as an alternative


def test_a_tie_in_two_places_is_a_coin_toss_and_a_clear_winner_is_not():
    tie = ground("click Save").predictions
    assert tie[0].confidence <= 0.55 and abs(tie[0].confidence - tie[1].confidence) < 0.05
    clear = ground("click Save", [*FORM[:-1], text("Save as", 300, 400)]).predictions
    assert clear[0].label == "Save" and clear[0].confidence > 0.7
    assert all(p.confidence < clear[0].confidence / 3 for p in clear[1:])


def test_sequence_keeps_click_order():
    res = ground("click Cancel, then Export")
    assert [p.label for p in res.predictions] == ["Cancel", "Export"]
    assert [p.step for p in res.predictions] == [0, 1]


def test_conjunction_splits_when_no_single_label_holds_it():
    res = ground("click Cancel and Export")
    assert {p.label for p in res.predictions} == {"Cancel", "Export"}
    labelled = FORM + [text("Save and Exit", 500, 500)]
    res = resolve(parse_instruction("click Save and Exit"), labelled, CAL)
    assert res.predictions[0].label == "Save and Exit"


def test_literal_label_wins_over_parsed_ordinal():
    cands = FORM + [text("First name", 20, 600)]
    res = resolve(parse_instruction("click First name"), cands, CAL)
    assert res.predictions[0].label == "First name"


def test_nothing_matched_says_so():
    res = ground("click Frobnicate")
    assert res.predictions == () and "Frobnicate" in res.message
    assert ground("click the icon", []).message == "Nothing on screen matched 'an icon'."
    assert ground("click the link", []).message == "Nothing on screen matched 'a link'."


def test_click_bounds():
    assert len(ground("click all checkboxes", max_clicks=2).predictions) == 2
    res = ground("click the second Save", min_clicks=2)
    assert len(res.predictions) == 2 and inside(res.predictions[0], Box(300, 400, 336, 416))
    assert res.predictions[1].confidence < res.predictions[0].confidence
    res = ground("click Cancel", min_clicks=2)
    assert len(res.predictions) == 1 and "at least 2" in res.message


def test_actions_are_carried():
    assert ground("double-click Export").predictions[0].action == "double_click"
    assert ground("right click Export").predictions[0].action == "right_click"


def test_calibration_is_monotonic_in_score_and_margin():
    lo = CAL(Features(score=0.6, margin=0.1))
    hi = CAL(Features(score=0.95, margin=0.1))
    wide = CAL(Features(score=0.95, margin=0.6))
    assert 0 <= lo < hi < wide <= 1
    assert Calibrator(None)(Features(score=0.42, margin=0)) == 0.42


def test_counting_a_role_never_falls_back_to_other_roles():
    res = ground("click every tab")
    assert res.predictions == () and "tab" in res.message


def test_multiword_equivalents_match_exactly():
    cands = [text("Sign in", 10, 10), text("Password:", 10, 40)]
    res = resolve(parse_instruction("press login"), cands, CAL)
    assert res.predictions[0].label == "Sign in"


class EverythingIsSimilar:
    def similarities(self, phrase, texts):
        return [0.95] * len(texts)


def test_digits_and_symbols_never_match_by_meaning():
    cands = [text("4", 10, 10), text("+", 40, 10)]
    assert resolve(parse_instruction("tap 8"), cands, CAL, EverythingIsSimilar()).predictions == ()
    assert resolve(parse_instruction("press ="), cands, CAL, EverythingIsSimilar()).predictions == ()
    words = [text("Delete", 10, 10)]
    assert resolve(parse_instruction("click trash"), words, CAL, EverythingIsSimilar()).predictions


def test_unlabelled_shapes_do_not_join_all_checkboxes():
    stray = Candidate(Box(600, 5, 614, 19), "", "checkbox", "controls", 0.5)  # a title-bar button
    res = resolve(parse_instruction("click all checkboxes"), FORM + [stray], CAL)
    assert len(res.predictions) == 3 and all(p.label for p in res.predictions if p.label != "checkbox")
    assert not any(inside(p, stray.box) for p in res.predictions)


def test_the_shipped_calibration_loads_and_ranks_sensibly():
    from desktop.core.calibration import load_calibrator

    fitted = load_calibrator("fitted")
    assert fitted.weights is not None and fitted.weights != Calibrator().weights
    exact_unique = fitted(Features(score=0.99, margin=0.9))
    weak_alternative = fitted(Features(score=0.6, margin=-0.3, rank=2))
    assert 0.9 < exact_unique <= 1.0 and weak_alternative < 0.3


def test_a_checkbox_far_right_of_its_label_is_found_on_the_row():
    row = [text("Play sounds", 20, 100), Candidate(Box(600, 100, 616, 116), "", "checkbox", "controls", 0.5),
           text("Volume", 20, 140), Candidate(Box(600, 140, 616, 156), "", "checkbox", "controls", 0.5)]
    res = resolve(parse_instruction("click the Play sounds checkbox"), row, CAL)
    assert inside(res.predictions[0], Box(600, 100, 616, 116))
    blocked = row + [text("Other label", 300, 100)]  # a label in between owns that box
    res = resolve(parse_instruction("click the Play sounds checkbox"), blocked, CAL)
    assert res.predictions[0].role == "text"


def test_a_labelled_indicator_beats_its_bare_label_without_role_words():
    res = resolve(parse_instruction("choose Enable sync"), FORM, CAL)
    assert res.predictions[0].role == "checkbox"


def test_a_box_named_by_its_label_is_the_field_not_the_label():
    # "the Email box": a hint at a checkbox or a field. The field beside "Email:" was
    # detected less surely (0.5) than OCR read the label (0.95), and still wins.
    field = Candidate(Box(120, 10, 320, 34), "Email", "field", "controls", 0.5, label_box=Box(20, 14, 74, 30))
    res = resolve(parse_instruction("click the Email box"), [text("Email:", 20, 14), field], CAL)
    assert res.predictions[0].role == "field" and inside(res.predictions[0], field.box)


def test_a_sentence_quoting_the_name_is_not_sure_to_be_the_control():
    # xarchiver's status line names its toolbar buttons; the icon button itself has no text.
    hint = text('Select "New" to create or "Open" to open an archive', 20, 300, 420)
    alone = resolve(parse_instruction("click New"), [hint], CAL).predictions[0].confidence
    short = text('Select "New"', 20, 300)
    assert resolve(parse_instruction("click New"), [short], CAL).predictions[0].confidence \
        < resolve(parse_instruction("click New"), [text("Select New", 20, 300)], CAL).predictions[0].confidence
    assert alone < 0.75
    icon = Candidate(Box(20, 40, 44, 64), "new", "icon", "icons", 0.8, conditioned=True)
    res = resolve(parse_instruction("click New"), [hint, icon], CAL)
    assert inside(res.predictions[0], icon.box)
    plain = resolve(parse_instruction("click New"), [text("New folder", 20, 300)], CAL)
    assert plain.predictions[0].confidence > 0.75


def test_a_label_that_reads_like_a_relation_is_read_whole_with_its_role_word():
    # lxappearance: a drop-down showing "Text below icons", labelled "Toolbar Style:".
    value = text("Text below icons", 181, 73, 114, 12)
    combo = Candidate(Box(175, 65, 355, 94), "Toolbar Style", "field", "controls", 0.8,
                      description="Text below icons")
    cands = [text("Toolbar Style:", 35, 73, 94, 14), value, combo, text("icons", 20, 300)]
    for instruction in ("click the Text below icons dropdown", "click Text below icons"):
        res = resolve(parse_instruction(instruction), cands, CAL)
        assert res.predictions and inside(res.predictions[0], combo.box), instruction


def test_the_literal_reading_keeps_the_verb_hint():
    cands = [Candidate(Box(10, 10, 24, 24), "Open links in new tab", "checkbox", "controls", 0.85,
                       label_box=Box(30, 9, 200, 25)), text("Open links in new tab", 30, 9, 170)]
    res = resolve(parse_instruction("toggle Open links in new tab"), cands, CAL)
    assert res.predictions[0].role == "checkbox"


def test_a_models_detection_of_the_phrase_is_as_sure_as_the_model():
    sure = Candidate(Box(10, 10, 50, 50), "dog", "image", "owlv2", 0.9, conditioned=True)
    unsure = Candidate(Box(100, 10, 140, 50), "dog", "image", "owlv2", 0.55, conditioned=True)
    noise = Candidate(Box(200, 10, 240, 50), "dog", "image", "owlv2", 0.1, conditioned=True)
    res = resolve(parse_instruction("click the dog"), [unsure, noise, sure], CAL)
    assert inside(res.predictions[0], sure.box) and len(res.predictions) == 2  # the 0.1 box is not offered
    assert res.predictions[0].confidence - res.predictions[1].confidence > 0.3


def test_a_lone_role_word_is_read_as_a_name_when_a_label_says_it_whole():
    # "click Menu": the parser reads "Menu" as the role (any menu or button); the
    # hamburger button is named "Menu" only by the icon source's phrase search, and the
    # icon named "list" (its description says "menu") outranks that exact label.
    buttons = [Candidate(Box(400, 60 + 40 * i, 540, 90 + 40 * i), "togglebutton", "button", "controls", 0.5)
               for i in range(3)]
    hamburger = Box(1203, 20, 1219, 34)
    named = Candidate(hamburger, "list", "icon", "icons", 0.24, description="list menu navigation text ui")
    asked = Candidate(hamburger, "Menu", "icon", "icons", 0.68, conditioned=True)
    res = resolve(parse_instruction("click Menu"), buttons + [named, asked], CAL)
    assert inside(res.predictions[0], hamburger)


def test_one_word_from_inside_a_long_label_is_not_sure_to_be_that_control():
    # FeatherPad's preferences: "click Open" meant the toolbar's folder icon, not this check box.
    box = Candidate(Box(138, 580, 152, 594), "Always open in separate windows", "checkbox", "controls", 0.9,
                    label_box=Box(157, 580, 380, 601))
    read = [box, text("Always open in separate windows", 157, 580)]
    buried = resolve(parse_instruction("click Open"), read, CAL).predictions[0].confidence
    first = resolve(parse_instruction("click Always"), read, CAL).predictions[0].confidence
    assert buried < first - 0.1
    icon = Candidate(Box(38, 26, 71, 58), "open", "icon", "icons", 0.8, conditioned=True)
    res = resolve(parse_instruction("click Open"), [*read, icon], CAL)
    assert inside(res.predictions[0], icon.box)
    # A short label, several words picked out of a sentence, and an icon's list of names stay good readings.
    assert resolve(parse_instruction("click Remember"), FORM, CAL).predictions[0].confidence > 0.75
    line = text("Dave Kuhlman provides libxml and libxslt wrappers for Python", 20, 300)
    assert resolve(parse_instruction("click Dave Kuhlman"), [line], CAL).predictions[0].confidence > 0.75
    named = Candidate(Box(4, 26, 37, 58), "file plus", "icon", "icons", 0.7, description="file plus new document add")
    assert resolve(parse_instruction("click New"), [named], CAL).predictions[0].confidence > 0.5


def test_a_box_already_as_asked_is_not_clicked_and_the_message_says_why():
    # FORM: Remember me and Send reports unticked, Enable sync ticked (below).
    form = [checkbox("Remember me", 20, 50), checkbox("Enable sync", 20, 80, checked=True),
            checkbox("Send reports", 20, 110), text("Remember me", 40, 49), text("Enable sync", 40, 79)]
    res = ground("tick Enable sync", form)
    assert res.predictions == () and "already ticked" in res.message and "toggle Enable sync" in res.message
    assert ground("untick Remember me", form).predictions == ()
    assert "already unticked" in ground("untick Remember me", form).message
    for instruction in ("untick Enable sync", "toggle Enable sync", "click Enable sync"):
        res = ground(instruction, form)
        assert inside(res.predictions[0], form[1].box), instruction
    # A label read by OCR alone has no known state: the click goes ahead as asked.
    assert ground("tick Export").predictions


def test_all_boxes_by_state_click_only_those_that_change():
    form = [checkbox("Remember me", 20, 50), checkbox("Enable sync", 20, 80, checked=True),
            checkbox("Send reports", 20, 110)]
    ticked = ground("uncheck all checkboxes", form).predictions
    assert [p.label for p in ticked] == ["Enable sync"]
    empty = ground("tick all unchecked checkboxes", form).predictions
    assert sorted(p.label for p in empty) == ["Remember me", "Send reports"]
    assert [p.label for p in ground("click every checked checkbox", form).predictions] == ["Enable sync"]
    assert len(ground("click all checkboxes", form).predictions) == 3
    done = ground("uncheck all checkboxes", [form[0], form[2]])
    assert done.predictions == () and "All 2 checkboxes are already unticked" in done.message
    # "tick the second checkbox" counts among all boxes, and leaves a ticked one alone.
    second = ground("tick the second checkbox", form)
    assert second.predictions == () and "already ticked" in second.message
    assert ground("check the second empty box", form).predictions[0].label == "Send reports"


def test_tick_all_when_every_box_is_ticked_says_so_though_labels_are_read_too():
    form = [checkbox("Remember me", 20, 50, checked=True), text("Remember me", 40, 49),
            checkbox("Enable sync", 20, 80, checked=True), text("Enable sync", 40, 79)]
    res = ground("tick all checkboxes", form)
    assert res.predictions == () and "All 2 checkboxes are already ticked" in res.message
    assert ground("勾选全部复选框", form).predictions == ()


def test_untick_all_and_tick_everything_mean_every_box_not_a_label_all():
    form = [checkbox("Remember me", 20, 50), checkbox("Enable sync", 20, 80, checked=True),
            checkbox("Send reports", 20, 110), text("Remember me", 40, 49)]
    assert [p.label for p in ground("untick all", form).predictions] == ["Enable sync"]
    assert sorted(p.label for p in ground("tick everything", form).predictions) == ["Remember me", "Send reports"]
    assert [p.label for p in ground("uncheck all of them", form).predictions] == ["Enable sync"]


def test_a_named_kind_found_less_surely_beats_its_look_alikes_when_only_the_kind_is_said():
    switch = Candidate(Box(300, 50, 340, 70), "", "switch", "controls", 0.6)
    form = [checkbox("Remember me", 20, 50), checkbox("Enable sync", 20, 80), switch]
    best = ground("click the switch", form).predictions[0]
    assert inside(best, switch.box)
    # With a name the words decide, and a check box may still stand in for a switch.
    assert ground("turn on the Enable sync switch", form).predictions[0].label == "Enable sync"


def test_a_hint_word_alone_with_a_position_or_neighbour_names_a_control():
    form = FORM + [checkbox("", 300, 300)]
    near = ground("click the box next to Enable sync", form).predictions[0]
    assert inside(near, FORM[3].box)
    assert ground("click the second option", form).predictions[0].label == "Enable sync"
    assert ground("click the second box").predictions[0].label == "Enable sync"


def test_of_inside_a_label_still_reads_the_label_whole():
    tabs = [Candidate(Box(20, 10, 150, 30), "Table of Contents", "tab", "controls", 0.9),
            Candidate(Box(160, 10, 240, 30), "Contents", "tab", "controls", 0.9)]
    assert ground("click the Table of Contents tab", tabs).predictions[0].label == "Table of Contents"


def test_the_first_n_boxes_are_n_boxes():
    form = [checkbox("Remember me", 20, 50), checkbox("Enable sync", 20, 80), checkbox("Send reports", 20, 110)]
    assert [p.label for p in ground("tick the first two boxes", form).predictions] == ["Remember me", "Enable sync"]
    assert [p.label for p in ground("tick the last two boxes", form).predictions] == ["Enable sync", "Send reports"]


def test_keyboard_characters_on_calculator_keys_answer_to_their_names():
    keys = [Candidate(Box(x, 100, x + 40, 130), t, "button", "controls", 0.8)
            for x, t in ((10, "*"), (60, "/"), (110, "+/-"), (160, "<-"), (210, "-"))]
    for said, key in (("press the multiply key", "*"), ("click divide", "/"), ("click slash", "/"),
                      ("click plus minus", "+/-"), ("press backspace", "<-"), ("click minus", "-")):
        assert ground(said, keys).predictions[0].label == key, said


def test_counting_buttons_keeps_labelled_ones_whose_frames_were_seen_less_surely():
    # A dialog's Save, Cancel and Apply share their frames, so the detector is less sure of them.
    buttons = [Candidate(Box(20, 20, 100, 46), "Browse", "button", "controls", 0.75),
               Candidate(Box(20, 100, 100, 126), "Save", "button", "controls", 0.6),
               Candidate(Box(100, 100, 180, 126), "Apply", "button", "controls", 0.6),
               Candidate(Box(300, 300, 314, 314), "", "button", "controls", 0.45)]
    assert ground("click the last button", buttons).predictions[0].label == "Apply"
    assert [p.label for p in ground("click all buttons", buttons).predictions] == ["Browse", "Save", "Apply"]


def test_a_chinese_instruction_finds_the_english_label_when_no_chinese_one_is_there():
    assert ground("点击保存").predictions[0].label == "Save"
    assert ground("勾选记住我").predictions[0].label == "Remember me"
    # A Chinese label on screen is still the one meant.
    both = FORM + [text("保存", 500, 300)]
    assert ground("点击保存", both).predictions[0].label == "保存"
    assert "保存" in ground("点击保存", [text("Export", 20, 300)]).message
    assert inside(ground("点击记住我左边的复选框").predictions[0], FORM[1].box)
