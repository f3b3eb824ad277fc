"""Turn a written place name into comparable keys.

Afghan place names reach English text in many transliterations: Helmand/Hilmand,
Qala-i-Naw/Qala e Naw/Qal'ah-ye Now/Qalai Naw, Chahanjir/Chah-e Anjir/Chahi Anjir,
Lashkar Gāh/Lashkargah. Two functions fold those differences away:

* :func:`fold_name` – a light form for display-level comparison and fuzzy scoring:
  ASCII-folded, lower case, punctuation and apostrophes removed, ezafe connectors
  and generic words ("province", "district", "wuluswali" ...) dropped, words joined
  by single spaces. Arabic-script names are normalized letter by letter.
* :func:`name_key` – a consonant skeleton of :func:`fold_name`, used for exact
  look-ups: vowels and semi-vowels dropped, kh/q/gh/w/v and doubled letters merged.
  Two spellings of one name almost always share a key; different names sometimes
  do too, so candidates found by key are ranked by a finer score afterwards.

Both are total (any ``str`` gives a ``str``, possibly empty) and idempotent.
No other module lower-cases, strips or otherwise normalizes names.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from afghangeo.errors import InvalidInputError

__all__ = ["CONNECTORS", "GENERIC_WORDS", "fold_name", "is_arabic_script", "name_key"]

# Words that describe a place rather than name it; dropped unless nothing else is left.
GENERIC_WORDS = frozenset(
    (
        "province provinces provincial wilayat welayat velayat wilayah "
        "district districts woluswali wuluswali uluswali oluswali wuleswali woleswali "
        "olusvali vulesvali woluswaly woleswaly ulswali "
        "city town village markaz center centre bazaar bazar hukumat hokumat hukumati "
        "the of capital afghanistan"
    ).split()
)
# Ezafe and the Dari/Pashto "and" between the words of a name: Qala-i-Naw, Lash-o-Juwayn.
CONNECTORS = frozenset("i e y ye yi ee a o u wa va".split())

ARABIC_GENERIC = frozenset(
    "ولایت ولسوالی ولسوالۍ شهر ښار مرکز قریه کلی ناحیه استان شهرستان حکومتی".split()
)

# Letter-by-letter folding of Arabic script (Arabic, Persian, Pashto, Urdu variants).
_ARABIC_MAP = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ئ": "ی", "ے": "ی", "ۓ": "ی",
        "ك": "ک", "ڪ": "ک", "ګ": "گ", "ڭ": "گ",
        "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه", "ھ": "ه", "ۂ": "ه",
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و", "ۇ": "و", "ۆ": "و",
        "ټ": "ت", "ٹ": "ت", "ډ": "د", "ڈ": "د", "ړ": "ر", "ڑ": "ر", "ږ": "ژ",
        "ښ": "ش", "ځ": "ز", "څ": "س", "ڼ": "ن", "ں": "ن",
        # letters Latin transliteration also merges: q/k, gh/g, t, s, z, h
        "ق": "ک", "غ": "گ", "ط": "ت", "ص": "س", "ث": "س", "ض": "ز", "ظ": "ز", "ذ": "ز",
        "ح": "ه", "ع": None, "ء": None, "ـ": None,
    }
)  # fmt: skip
# zero-width (non-)joiners, direction marks and embeddings, BOM, soft hyphen
_INVISIBLE = dict.fromkeys(
    [
        0x200C,
        0x200D,
        0x200E,
        0x200F,
        0x061C,
        0xFEFF,
        0x00AD,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ′ʹˈ"))
_WORD = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiou")
# Consonant digraphs and letters merged after vowels are gone: kh/q/gh, w/v, ph/f ...
_DIGRAPHS = (("tch", "ch"), ("kh", "k"), ("gh", "g"), ("ph", "f"), ("zh", "z"),
             ("dh", "d"), ("th", "t"), ("bh", "b"), ("dj", "j"), ("ck", "k"))  # fmt: skip
_LETTERS = str.maketrans({"q": "k", "v": "w", "x": "ks"})


def is_arabic_script(text: str) -> bool:
    """Whether `text` contains any Arabic-script letter.

    Examples
    --------
    >>> is_arabic_script("لشکرگاه"), is_arabic_script("Lashkar Gah")
    (True, False)
    """
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def _check(name: object) -> str:
    if not isinstance(name, str):
        msg = f"A place name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    return name


def _fold_word(word: str) -> str:
    if is_arabic_script(word):
        word = word.translate(_ARABIC_MAP)
        word = "".join(ch for ch in word if unicodedata.category(ch)[0] == "L" or ch.isdigit())
        return re.sub(r"(.)\1+", r"\1", word)
    word = word.casefold().replace("ı", "i")
    return "".join(str(unicodedata.digit(ch, ch)) if ch.isdigit() else ch for ch in word)


@functools.lru_cache(maxsize=65536)
def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_INVISIBLE).translate(_APOSTROPHES)
    words = [w for w in (_fold_word(m) for m in _WORD.findall(text)) if w]
    words = [w for w in words if w not in GENERIC_WORDS and w not in ARABIC_GENERIC] or words
    words = [w for w in words if w not in CONNECTORS] or words
    return " ".join(words)


def fold_name(name: str) -> str:
    """Fold a place name to lower-case ASCII words (or normalized Arabic script).

    Parameters
    ----------
    name : str
        A place name as written, in any transliteration or in Dari/Pashto script.

    Returns
    -------
    str
        Words separated by single spaces; empty when `name` has no letters or digits.

    Raises
    ------
    InvalidInputError
        If `name` is not a str.

    Examples
    --------
    >>> fold_name("Lashkar Gāh")
    'lashkar gah'
    >>> fold_name("Qal'ah-ye Now District")
    'qalah now'
    >>> fold_name("  ")
    ''
    """
    return _fold(_check(name))


def _skeleton_latin(word: str) -> str:
    """Consonant skeleton of one folded Latin word (vowels and semi-vowels dropped)."""
    out: list[str] = []
    n = len(word)
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < n else ""
        if ch in _VOWELS:
            continue
        if ch == "y":  # Daykundi/Daikundi, Bamyan/Bamian, Paktiya/Paktia
            continue
        if ch == "w" and prev in _VOWELS and nxt not in _VOWELS:  # Kowt/Kot, Jawzjan/Jozjan
            continue
        if ch == "h" and prev in _VOWELS and nxt not in _VOWELS:  # Lashkargah/Lashkarga
            continue
        out.append(ch)
    return "".join(out)


def _merge(skeleton: str) -> str:
    for a, b in _DIGRAPHS:
        skeleton = skeleton.replace(a, b)
    skeleton = skeleton.translate(_LETTERS)
    return re.sub(r"(.)\1+", r"\1", skeleton)


@functools.lru_cache(maxsize=65536)
def _key(name: str) -> str:
    parts = []
    for word in _fold(name).split(" "):
        parts.append(word if is_arabic_script(word) else _skeleton_latin(word))
    key = "".join(parts)
    # Merging may create new digraphs (k+h once a vowel between them is gone):
    # repeat to a fixed point so that name_key(name_key(x)) == name_key(x).
    while (merged := _merge(key)) != key:
        key = merged
    return key


def name_key(name: str) -> str:
    """Key under which spellings of the same Afghan place name coincide.

    Parameters
    ----------
    name : str
        A place name as written, in any transliteration or in Dari/Pashto script.

    Returns
    -------
    str
        A consonant skeleton (Latin) or a normalized letter string (Arabic script);
        empty when `name` has no letters or digits.

    Raises
    ------
    InvalidInputError
        If `name` is not a str.

    Examples
    --------
    >>> name_key("Qala-i-Naw") == name_key("Qal'ah-ye Now") == name_key("Qalai Naw")
    True
    >>> name_key("Chahanjir") == name_key("Chah-e Anjir") == name_key("Chahi Anjir")
    True
    >>> name_key("Hilmand Province") == name_key("HELMAND")
    True
    >>> name_key("لشكرگاه") == name_key("لشکر گاه")
    True
    """
    return _key(_check(name))
