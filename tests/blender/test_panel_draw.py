"""The panel's draw code, run against a recording layout on real findings (panels never draw in the bpy module)."""

import os

import bpy
import pytest
from recording_layout import RecordingLayout, draw_panel


def add(gd, severity, message, check="library_name_collisions", **kwargs):
    gd.properties.add_finding(
        bpy.context.window_manager.gotcha_doctor,
        gd.core.findings.Finding(check, "library-name-collision", severity, message, **kwargs),
    )


def test_before_any_scan_the_panel_offers_scan_and_lint_addons_only(gd):
    layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor, bpy.context)
    assert [o["idname"] for o in layout.of_kind("operator")] == ["gotcha.scan", "gotcha.lint_addons"]
    assert "Scan to find Python API gotchas in this file" in layout.texts()
    assert layout.of_kind("template_list") == []


def test_while_running_the_panel_shows_progress_instead_of_the_scan_button(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    state.is_running, state.progress, state.status = True, 0.4, "Scanning: Library name collisions"
    layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor, bpy.context)
    (bar,) = layout.of_kind("progress")
    assert abs(bar["factor"] - 0.4) < 1e-6 and bar["text"] == "40%  Scanning: Library name collisions"
    assert "gotcha.scan" not in [o["idname"] for o in layout.of_kind("operator")]
    assert "Press Esc to cancel (partial results are kept)" in layout.texts()


def test_after_a_scan_counts_list_and_export_are_drawn(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    add(gd, "WARNING", "w1")
    add(gd, "ERROR", "e1")
    add(gd, "WARNING", "w2")
    state.cancelled = True
    layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor, bpy.context)
    labels = layout.of_kind("label")
    # Each count is an icon-only label followed by the number in its own label, so the icon never covers a digit.
    count_labels = [
        (labels[at + 1]["text"], label["icon"])
        for at, label in enumerate(labels[:-1])
        if label.get("icon") in ("CANCEL", "ERROR", "INFO") and label["text"] == "" and labels[at + 1]["text"].isdigit()
    ]
    assert count_labels == [("1", "CANCEL"), ("2", "ERROR"), ("0", "INFO")]
    assert not any(label["text"].isdigit() and label.get("icon") for label in labels)
    assert "Scan cancelled: the list is partial" in layout.texts()
    (listing,) = layout.of_kind("template_list")
    assert listing["args"][0] == "GOTCHA_UL_findings"
    assert {"gotcha.export_report", "gotcha.clear_findings"} <= {o["idname"] for o in layout.of_kind("operator")}


@pytest.mark.parametrize("with_numpy", [True, False])
def test_list_orders_most_severe_first_and_filters_by_check_and_severity(gd, monkeypatch, with_numpy):
    if not with_numpy:  # the counting sort Blender without numpy uses
        monkeypatch.setattr(gd.panels.main, "np", None)
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    add(gd, "INFO", "i1")
    add(gd, "ERROR", "e1", check="other_check")
    add(gd, "WARNING", "w1")
    add(gd, "ERROR", "e2")
    main = gd.panels.main
    assert main.severity_order(state.findings) == [3, 0, 2, 1]  # e1, e2, w1, i1
    visible = 1 << 30
    assert main.filter_flags(state.findings, "", "ALL", "ERROR", visible) == [0, visible, 0, visible]
    assert main.filter_flags(state.findings, "", "library_name_collisions", "ALL", visible) == [
        visible,
        0,
        visible,
        visible,
    ]
    assert main.filter_flags(state.findings, "w1", "ALL", "ALL", visible) == [0, 0, visible, 0]


def draw_row(gd, index):
    state = bpy.context.window_manager.gotcha_doctor
    layout = RecordingLayout()
    gd.panels.main.GOTCHA_UL_findings.draw_item(
        None, bpy.context, layout, state, state.findings[index], 0, state, "active_index", index
    )
    return layout


def test_a_row_leads_with_the_owner_and_the_problem_in_a_few_words_and_selects_its_finding(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    message = 'Image "//tex/wood.png" not found: /very/long/path/that/fills/the/sidebar/tex/wood.png'
    gd.properties.add_finding(
        state,
        gd.core.findings.Finding(
            "relative_paths", "relative-path", "ERROR", message, "IMAGE", "wood.png", details={"kind": "missing"}
        ),
    )
    add(gd, "WARNING", "2 object datablocks are named ...", id_type="OBJECT", id_name="Tree\n\x1b")
    layout = draw_row(gd, 0)
    owner, problem = layout.of_kind("operator")
    assert (owner["idname"], owner["text"], owner["icon"]) == ("gotcha.select_finding", "wood.png", "IMAGE_DATA")
    assert (problem["idname"], problem["text"]) == ("gotcha.select_finding", "file not found")
    assert [o.index for o in layout.operators] == [0, 0]
    assert layout.of_kind("label") == [{"text": "", "icon": "CANCEL"}]  # severity, last
    assert "relative-path" not in str(layout.calls)  # the topic is in the Finding box and the filter
    layout = draw_row(gd, 1)
    owner, problem = layout.of_kind("operator")
    assert (owner["text"], owner["icon"], problem["text"]) == (
        "Tree\\n\\x1b",
        "OBJECT_DATA",
        "also linked",
    )


def test_a_row_about_no_datablock_names_its_operator_or_check(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    gd.properties.add_finding(
        state,
        gd.core.findings.Finding(
            "operator_poll", "operator-poll", "WARNING", "why", details={"operator": "action.clean"}
        ),
    )
    owner, problem = draw_row(gd, 0).of_kind("operator")
    assert (owner["text"], owner["icon"], problem["text"]) == ("action.clean", "QUESTION", "poll fails")


def test_the_text_filter_matches_the_topic(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    add(gd, "WARNING", "w1")
    visible = 1 << 30
    assert gd.panels.main.filter_flags(state.findings, "name-collision", "ALL", "ALL", visible) == [visible]
    assert gd.panels.main.filter_flags(state.findings, "relative-path", "ALL", "ALL", visible) == [0]


def test_details_show_topic_section_owner_details_and_fix_buttons_even_for_non_utf8_paths(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    bad = os.fsdecode(b"//tex/caf\xe9.png")
    gd.properties.add_finding(
        state,
        gd.core.findings.Finding(
            "library_name_collisions",
            "non-utf8-path",
            "WARNING",
            f"Path {bad} is not UTF-8",
            "IMAGE",
            "cafe.png",
            "//lib.blend",
            {"path": bad},
            fixes=("path_reencode",),
        ),
    )
    state.active_index = 0
    layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor_details, bpy.context)
    text = "\n".join(layout.texts())
    assert "Warning: Library name collisions" in text
    assert "Topic: non-utf8-path" in text and "Gotchas › Unicode Problems" in text
    assert 'Image "cafe.png"' in text and "from library //lib.blend" in text
    assert "Path //tex/caf\\xe9.png is not UTF-8" in text
    assert "path: //tex/caf\\xe9.png" in text and "path_base64: Ly90ZXgvY2Fm6S5wbmc=" in text
    fix = [o for o in layout.operators if o.idname == "gotcha.path_reencode"]
    assert len(fix) == 1 and fix[0].finding_index == 0  # the fix key, mapped to its operator


def test_f3_menu_lists_the_operators_and_every_operator_says_gotcha(gd):
    layout = draw_panel(gd.panels.main.TOPBAR_MT_gotcha_doctor, bpy.context)
    assert [o["idname"] for o in layout.of_kind("operator")] == [
        "gotcha.scan",
        "gotcha.export_report",
        "gotcha.clear_findings",
        "gotcha.explain_poll",  # F3 finds operators through menus only: without this entry it found no explainer
        "gotcha.lint_addons",
    ]
    operators = [cls for cls in gd.operators.classes if issubclass(cls, bpy.types.Operator)]
    assert len(operators) >= 5
    for cls in operators:
        assert cls.bl_label.startswith("Gotcha Doctor: "), cls
        assert len(cls.bl_description) > 20, cls


def test_details_of_a_local_datablock_draw_with_valid_icons(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    add(gd, "ERROR", "Missing file", id_type="IMAGE", id_name="wood.png")
    state.active_index = 0
    layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor_details, bpy.context)  # raises on an unknown icon
    assert 'Image "wood.png"' in layout.texts()


def test_an_explain_finding_shows_its_check_title(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    gd.properties.add_finding(
        state, gd.core.findings.Finding("operator_poll", "operator-poll", "WARNING", "bpy.ops.action.clean: ...")
    )
    state.active_index = 0
    layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor_details, bpy.context)
    assert f"Warning: {gd.checks.operator_poll.INFO.title}" in layout.texts()
    assert ("operator_poll", gd.checks.operator_poll.INFO.title) in [
        (item[0], item[1]) for item in gd.panels.main._CHECK_FILTER_ITEMS
    ]


def test_a_session_finding_row_leads_with_its_add_on(gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    details = {"owner": "bl_ext.user_default.live_gotchas", "owner_kind": "extension", "rule": "GD200"}
    gd.properties.add_finding(
        state, gd.core.findings.Finding("addon_code", "rna-callback-abuse", "WARNING", "callback", details=details)
    )
    owner, problem = draw_row(gd, 0).of_kind("operator")
    assert (owner["text"], owner["icon"], problem["text"]) == ("live_gotchas", "PLUGIN", "op in callback")


def test_the_poll_panel_shows_the_answer_that_is_active_or_last_and_reads_no_other_item(gd):
    """The explainer's answer is the active finding or the last one (it appends and selects it; a scan clears the
    list first): the sub-panel looks at those two only, so its redraw costs the same at 8,000 findings."""
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, [])
    for number in range(3000):
        add(gd, "WARNING", f"w{number}")
    answer = gd.core.findings.Finding(
        "operator_poll", "operator-poll", "WARNING", "bpy.ops.action.clean: poll() fails here", details={}
    )
    gd.properties.add_finding(state, answer)
    poll_panel = gd.panels.poll.VIEW3D_PT_gotcha_doctor_poll
    state.active_index = 0
    assert gd.panels.poll.latest_answer_index(state) == 3000  # the last one
    assert "poll() fails here" in " ".join(draw_panel(poll_panel, bpy.context).texts())  # wrapped in lines
    add(gd, "WARNING", "after the answer")
    state.active_index = 3000
    assert gd.panels.poll.latest_answer_index(state) == 3000  # the active one
    state.active_index = 5
    assert gd.panels.poll.latest_answer_index(state) is None  # neither: the list is not searched
    assert "Pick an operator to see why its poll fails here" in draw_panel(poll_panel, bpy.context).texts()
