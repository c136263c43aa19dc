"""Vietnamese text as users type it and as documents sort it [DOMAIN §10a]."""
import unicodedata
from functools import lru_cache

# The Vietnamese alphabet; each base letter carries its rank, tones sort after the base.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def nfc(text: str | None) -> str:
    """Return text in the precomposed form (NFC), stripped of surrounding blanks."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def _is_invisible(ch: str) -> bool:
    """Format and control characters a keyboard or a spreadsheet slips in unseen (U+200B …)."""
    return unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cs") and ch not in "\t\n\r"


def clean_text(text: str | None) -> str:
    """Return text as it is stored: NFC, invisible characters removed, single blanks, stripped.

    A zero-width space or a byte-order mark pasted with a card number would otherwise make
    "01234567" and "01234567\u200b" two different members; a no-break space is a blank.
    """
    text = nfc(text)
    if not text.isprintable():  # most text has no invisible character: skip the slow scan
        text = "".join(ch for ch in text if not _is_invisible(ch))
    return " ".join(text.split())


def clean_code(text: str | None) -> str:
    """A code or a card number as stored: `clean_text` (the one normalisation of every path)."""
    return clean_text(text)


def has_marks(text: str) -> bool:
    """Whether the text carries any Vietnamese mark (tone, breve, circumflex, horn, đ)."""
    return fold(text) != " ".join(nfc(text).lower().split())


def choice_from_text(text: str | None, choices) -> str | None:
    """The stored value of a TextChoices member typed as its label (or its stored value), or None.

    Case and blanks never matter. Marks matter once some are typed: "Nu" (typed without any mark,
    as on a keyboard without Vietnamese input) is "Nữ", but "Nũ" is a different word and is
    refused rather than guessed.
    """
    typed = clean_text(text)
    if not typed:
        return None
    for value, label in choices.choices:
        if typed.casefold() in (str(label).casefold(), str(value).casefold()):
            return value
    if has_marks(typed):
        return None
    matches = [value for value, label in choices.choices if fold(str(label)) == fold(typed)]
    return matches[0] if len(matches) == 1 else None


def fold(text: str | None) -> str:
    """Return text without tones, marks or case, for search ("Nguyễn Văn Ánh" → "nguyen van anh")."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").split())


def _letter_key(letter_nfd: str) -> tuple[int, int]:
    base = letter_nfd[0]
    marks = letter_nfd[1:]
    letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _BASE_MARKS))
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    return (_RANK.get(letter, 100 + ord(letter[0])), tone)


def _word_key(word: str) -> tuple:
    """Letters compare by base letter first; tones only break ties between equal bases."""
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and letters:
            letters[-1] += ch
        else:
            letters.append(ch)
    keys = [_letter_key(letter) for letter in letters]
    return (tuple(k[0] for k in keys), tuple(k[1] for k in keys))


def text_sort_key(text: str) -> tuple:
    """Sort key for a phrase in Vietnamese alphabetical order, word by word."""
    return tuple(_word_key(w) for w in nfc(text).split())


_WORD_WIDTH = 8  # letters kept per word in the stored key; longer Vietnamese syllables do not exist


@lru_cache(maxsize=65536)  # names repeat (Nguyễn, Văn, Thị …): an import of 10 000 members encodes a few hundred words
def _encode_word(word: str) -> tuple[str, str]:
    bases, tones = _word_key(word)
    letters = "".join(
        chr(ord("a") + (b + 1) // 26) + chr(ord("a") + (b + 1) % 26) for b in bases[:_WORD_WIDTH]
    )
    return letters.ljust(2 * _WORD_WIDTH, "a"), "".join(chr(ord("a") + t) for t in tones[:_WORD_WIDTH]).ljust(_WORD_WIDTH, "a")


def name_sort_key(full_name: str) -> str:
    """Sort key for a person's name: given name (last word), then the rest, Vietnamese order.

    Base letters decide first, tones only between names equal without them. The key is plain
    lowercase ASCII, so it can be stored and ordered by any database collation.
    """
    words = nfc(full_name).split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]][:6]
    encoded = [_encode_word(w) for w in ordered]
    return "".join(b for b, _ in encoded) + "".join(t for _, t in encoded)


MAX_SEARCH_LENGTH = 200


def search_text(raw: str | None) -> str:
    """What was typed into a search box, safe for any database: NFC, without control
    characters (PostgreSQL refuses a NUL byte), single blanks, at most 200 characters."""
    text = "".join(ch for ch in nfc(raw) if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:MAX_SEARCH_LENGTH]

