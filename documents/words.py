"""Whole numbers in French words, as amounts are written out on receipts.

Traditional spelling (the one Togolese administration and banks print): hyphens between
the words below one hundred only, "et" in 21, 31 … 71, a plural "s" on "vingt" and "cent"
only when they end the number or precede "million(s)", "mille" invariable.
"""

from __future__ import annotations

MAX_NUMBER = 999_999_999

_UNITS = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int, *, ends: bool) -> str:
    """1..99; `ends`: nothing but a noun follows, so "quatre-vingts" takes its "s"."""
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…: the teens follow
        prefix, unit = ("soixante", 10 + unit) if tens == 7 else ("quatre-vingt", 10 + unit)
    elif tens == 8:
        if unit == 0:
            return "quatre-vingts" if ends else "quatre-vingt"
        prefix = "quatre-vingt"
    else:
        prefix = _TENS[tens]
        if unit == 0:
            return prefix
    if unit in (1, 11) and prefix != "quatre-vingt":
        return f"{prefix} et {_UNITS[unit]}"
    return f"{prefix}-{_UNITS[unit]}"


def _below_thousand(n: int, *, ends: bool) -> str:
    """1..999; `ends` as above, for "cents" too."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        if hundreds == 1:
            words.append("cent")
        else:
            plural = "s" if rest == 0 and ends else ""
            words.append(f"{_UNITS[hundreds]} cent{plural}")
    if rest:
        words.append(_below_hundred(rest, ends=ends))
    return " ".join(words)


def number_in_words(n: int) -> str:
    """0 ≤ n ≤ 999 999 999 in French words: 2 500 000 → "deux millions cinq cent mille"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"an int is needed, not {type(n).__name__}")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 0..{MAX_NUMBER}")
    if n == 0:
        return _UNITS[0]
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words = []
    if millions:
        # "million" is a noun: the number before it ends, so "deux cents millions".
        noun = "million" if millions == 1 else "millions"
        words.append(f"{_below_thousand(millions, ends=True)} {noun}")
    if thousands:
        # "mille" is an adjective: "deux cent mille", "quatre-vingt mille", never "un mille".
        words.append("mille" if thousands == 1
                     else f"{_below_thousand(thousands, ends=False)} mille")
    if units:
        words.append(_below_thousand(units, ends=True))
    return " ".join(words)


def fcfa_in_words(amount: int) -> str:
    """An amount as a receipt writes it out: "vingt-cinq mille francs CFA", "un million de
    francs CFA" (a round number of millions takes "de"), "un franc CFA"."""
    words = number_in_words(amount)
    if amount in (0, 1):
        return f"{words} franc CFA"
    if amount % 1_000_000 == 0:
        return f"{words} de francs CFA"
    return f"{words} francs CFA"
