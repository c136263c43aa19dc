"""Turn one spreadsheet cell into a Python value, whatever program saved the file.

Pure functions: a cell may hold text (shared or inline string), a number where text was
meant (card number 12345678 → "12345678", not "12345678.0"), a real date, a date typed as
text (dd/mm/yyyy) or a date serial number. Each converter returns the value or raises
CellError with a Vietnamese reason.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import cache, partial

from openpyxl.utils.datetime import from_excel

from core.vntext import choice_from_text, clean_text, fold

from .spec import BOOL, DATE, ENUM, INT, NO, TEXT, YES, Column

_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_TRUE = {fold(YES), "x", "1", "true", "yes", "dung", "co hoat dong"}
_FALSE = {fold(NO), "0", "false", "no", "sai"}


class CellError(ValueError):
    """A cell whose content cannot be read as the column asks."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value) -> str:
    """Text as stored (core.vntext.clean_text: NFC, invisible characters removed, single blanks);
    whole numbers lose the ".0" a spreadsheet adds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


def to_plain_text(value) -> str:
    """A text column's cell: text, or a number written as text (card number 12345678 → "12345678").

    Nothing else: a TRUE/FALSE cell (t="b") or a date in a name is a mistake in the file, not the
    word "Có" or a day to be stored as text. An empty cell is "".
    """
    if isinstance(value, bool):
        raise CellError(f"là ô Đúng/Sai ({'TRUE' if value else 'FALSE'}), cột này chỉ nhận chữ hoặc số")
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        raise CellError("là ô ngày giờ, cột này chỉ nhận chữ hoặc số (hãy định dạng ô là Văn bản)")
    if not isinstance(value, (str, int, float, Decimal)) and value is not None:
        raise CellError("không phải chữ, cột này chỉ nhận chữ hoặc số")
    return to_text(value)


def to_date(value) -> dt.date:
    """A date from a real date cell, dd/mm/yyyy text, yyyy-mm-dd text or an Excel serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise CellError(f"'{to_text(value)}' không phải ngày hợp lệ")
    text = to_text(value)
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            raise CellError(f"'{text}' không phải ngày dạng dd/mm/yyyy")
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"'{text}' không phải ngày có thật") from exc


def to_bool(value) -> bool:
    """Có/Không (also x, 1/0, TRUE/FALSE as spreadsheets write them)."""
    if isinstance(value, bool):
        return value
    key = fold(to_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"'{to_text(value)}' không hợp lệ, chỉ nhận '{YES}' hoặc '{NO}'")


def to_int(value) -> int:
    """A whole number ≥ 0 (its range is the validators' to judge: "Thứ tự" up to 1.000.000)."""
    try:
        number = Decimal(to_text(value))
    except InvalidOperation as exc:
        raise CellError(f"'{to_text(value)}' không phải số nguyên") from exc
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise CellError(f"'{to_text(value)}' không phải số nguyên không âm")
    return int(number)


@cache
def _choice_lookup(choices) -> tuple[dict[str, str], str]:
    """For a TextChoices class: its labels and values spelled exactly (any case), and the message list."""
    exact = {str(label).casefold(): v for v, label in choices.choices}
    exact.update({v.casefold(): v for v in choices.values})
    return exact, ", ".join(f"'{label}'" for label in choices.labels)


def to_choice(value, choices) -> str:
    """The stored value of a TextChoices member, given its Vietnamese label (or stored value).

    core.vntext.choice_from_text decides: case and blanks never matter; text typed without any
    mark ("Nu") matches the label it folds to, a wrong mark ("Nũ") does not.
    """
    text = to_text(value)
    found = choice_from_text(text, choices)
    if found is None:
        raise CellError(f"'{text}' không hợp lệ, chỉ nhận một trong: {_choice_lookup(choices)[1]}")
    return found


def convert(column: Column, value):
    """Convert a non-blank cell for `column`, or raise CellError."""
    if column.kind == DATE:
        return to_date(value)
    if column.kind == BOOL:
        return to_bool(value)
    if column.kind == INT:
        return to_int(value)
    if column.kind == ENUM:
        return to_choice(value, column.choices)
    text = to_plain_text(value)
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"dài {len(text)} ký tự, tối đa {column.max_length} ký tự")
    return text


def converter(column: Column):
    """A function converting a non-blank cell for `column` (as `convert`), quick on the common cases.

    The reader calls it for every cell of a file: a card number already text, a real date, a
    label spelled exactly are taken without the general path.
    """
    if column.kind == DATE:
        def date_cell(value):
            return value.date() if type(value) is dt.datetime else to_date(value)
        return date_cell
    if column.kind == ENUM:
        exact = _choice_lookup(column.choices)[0]

        def choice_cell(value):
            found = exact.get(value.casefold()) if type(value) is str else None
            return found if found is not None else to_choice(value, column.choices)
        return choice_cell
    if column.kind == TEXT:
        limit = column.max_length

        def text_cell(value):
            text = to_plain_text(value)
            if limit and len(text) > limit:
                raise CellError(f"dài {len(text)} ký tự, tối đa {limit} ký tự")
            return text
        return text_cell
    return partial(convert, column)
