"""The one table writer: Markdown for files and documents, rich-laid text for the terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from model.tables import markdown_table, text_table

cells = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12)


def test_markdown_is_one_unpadded_line_per_row():
    assert markdown_table(["a", "bb"], [["1", "x"], [2, None]]) == (
        "| a | bb |\n|---|---|\n| 1 | x |\n| 2 |  |")


def test_a_pipe_in_a_cell_is_escaped_once():
    assert markdown_table(["a|b"], [["x|y"], ["already \\| escaped"]]).splitlines() == [
        "| a\\|b |", "|---|", "| x\\|y |", "| already \\| escaped |"]


@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=5))
def test_every_markdown_row_has_the_header_s_cells(rows):
    lines = markdown_table(["a", "b", "c"], rows).splitlines()
    assert len(lines) == 2 + len(rows)
    for line in lines:
        unescaped = line.replace("\\|", "")
        assert unescaped.count("|") == 4


def test_text_table_is_never_wrapped_and_has_no_trailing_spaces():
    wide = "x" * 300
    text = text_table(["outcome", "estimate"], [[wide, "0.50"], ["short", "1.00"]])
    lines = text.splitlines()
    assert any(wide in line for line in lines)
    assert all(line == line.rstrip() for line in lines)
    assert "\x1b[" not in text  # no colour codes in files and pipes


def test_numbers_are_right_aligned_text_left():
    lines = text_table(["name", "share"], [["Brask", "0.5"], ["Corvin", "10.25"]]).splitlines()
    rows = [line for line in lines if line.startswith(("Brask", "Corvin"))]
    assert rows[0].endswith("  0.5") and rows[1].endswith("10.25")
    assert len(rows[0]) == len(rows[1])


def test_square_brackets_in_cells_are_text_not_markup():
    out = text_table(["interval", "who [role]"], [["[never, never]", "Trotsky [expelled]"],
                                                  ["[/x]", "b"]])
    assert "[never, never]" in out
    assert "Trotsky [expelled]" in out and "who [role]" in out
    assert "[/x]" in out
