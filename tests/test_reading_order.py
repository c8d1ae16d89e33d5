"""Reading order: a header grid read row by row, columns of prose left alone."""

from __future__ import annotations

from extractors.reading_order import reading_order
from extractors.tesseract import OcrWord

_LINE_HEIGHT = 24
_ROW_PITCH = 40


def _block(block: int, first_line: int, left: int, top: int, lines: list[str]) -> list[OcrWord]:
    words = []
    for i, line in enumerate(lines):
        x = left
        for text in line.split():
            words.append(OcrWord(text, x, top + i * _ROW_PITCH, 12 * len(text), _LINE_HEIGHT, 0.9, block, first_line + i))
            x += 12 * len(text) + 10
    return words


def _text(words: tuple[OcrWord, ...]) -> list[str]:
    lines: dict[int, list[str]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w.text)
    return [" ".join(v) for v in lines.values()]


def test_a_two_column_header_grid_is_read_row_by_row() -> None:
    left = _block(1, 0, 100, 300, ["Patient: Ada Quill", "MRN: 7731", "Member ID: XKJ812345678"])
    right = _block(2, 3, 900, 302, ["DOB: 01/02/1960", "Account: 55", "Group: 4410"])
    below = _block(3, 6, 100, 500, ["History of Present Illness"])
    ordered = reading_order(tuple(left + right + below))
    assert _text(ordered) == [
        "Patient: Ada Quill DOB: 01/02/1960",
        "MRN: 7731 Account: 55",
        "Member ID: XKJ812345678 Group: 4410",
        "History of Present Illness",
    ]
    assert len({w.block for w in ordered}) == 2


def test_the_right_column_may_come_after_a_block_below_the_left_one() -> None:
    left = _block(1, 0, 100, 300, ["Patient: Ada Quill", "MRN: 7731"])
    under = _block(2, 2, 100, 400, ["Insurance: Olympic Crest"])
    right = _block(3, 3, 900, 300, ["DOB: 01/02/1960", "Account: 55"])
    assert _text(reading_order(tuple(left + under + right))) == [
        "Patient: Ada Quill DOB: 01/02/1960",
        "MRN: 7731 Account: 55",
        "Insurance: Olympic Crest",
    ]


def test_long_columns_of_prose_stay_columns() -> None:
    left = _block(1, 0, 100, 300, [f"left column sentence {i}" for i in range(15)])
    right = _block(2, 15, 900, 300, [f"right column sentence {i}" for i in range(15)])
    words = tuple(left + right)
    assert reading_order(words) == words


def test_blocks_whose_lines_do_not_share_rows_are_not_merged() -> None:
    left = _block(1, 0, 100, 300, ["Patient: Ada Quill", "MRN: 7731"])
    right = _block(2, 2, 900, 320, ["Signed electronically"])  # half a row down
    words = tuple(left + right)
    assert _text(reading_order(words)) == ["Patient: Ada Quill", "MRN: 7731", "Signed electronically"]


def test_stacked_blocks_keep_tesseracts_order() -> None:
    first = _block(1, 0, 100, 100, ["Chief Complaint", "Low back pain"])
    second = _block(2, 2, 100, 300, ["Assessment", "Lumbar radiculopathy"])
    words = tuple(first + second)
    assert reading_order(words) == words
