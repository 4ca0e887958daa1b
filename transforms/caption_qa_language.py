"""Single-caption checks of caption QA: language, script, length and degeneration.

A caption must be in its language (a real identifier, lingua, plus the share of letters in the
expected script), free of broken decoding, within length bounds, and not degenerate: repeated
n-grams and loops, truncation, refusals, boilerplate about "the image". Pure functions over text
and tokens; the checker in `transforms/caption_qa.py` calls them with its thresholds.
"""

from __future__ import annotations

import re
import unicodedata

EN_TOKEN = re.compile(r"[a-z0-9]+(?:[-'’.,][a-z0-9]+)*|[^\sa-z0-9]", re.IGNORECASE)
EN_WORD = re.compile(r"[a-z0-9]", re.IGNORECASE)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
EN_TERMINAL = ".!?…"
ZH_TERMINAL = "。！？…!?."
CLOSERS = "\"'”’)）」』】"


def en_tokens(text: str) -> list[str]:
    """Lower-cased words and single punctuation marks, in order."""
    return [t.lower() for t in EN_TOKEN.findall(text)]


def is_word(token: str) -> bool:
    return bool(EN_WORD.match(token)) or bool(HAN.match(token))


def repeated_ngram_share(tokens: list[str], n: int) -> float:
    """Share of the n-grams that already appeared earlier in the text (0 for a text without)."""
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    if not grams:
        return 0.0
    return 1 - len(set(grams)) / len(grams)


def longest_loop(tokens: list[str], max_period: int = 8) -> int:
    """The most times a phrase of 1..max_period tokens repeats back to back ("a b a b a b": 3)."""
    best = 1
    for period in range(1, max_period + 1):
        run = 0  # consecutive tokens equal to the token one period earlier
        for j in range(period, len(tokens)):
            run = run + 1 if tokens[j] == tokens[j - period] else 0
            best = max(best, 1 + run // period)
    return best


def is_truncated(text: str, terminals: str) -> bool:
    """No sentence-final punctuation at the end (after closing quotes and brackets)."""
    stripped = text.rstrip().rstrip(CLOSERS).rstrip()
    return not stripped or stripped[-1] not in terminals


def is_garbled(text: str) -> bool:
    """Replacement characters, control characters or private-use code points: broken decoding."""
    for c in text:
        if c == "\ufffd":
            return True
        category = unicodedata.category(c)
        if (category == "Cc" and c not in "\n\t\r") or category in ("Co", "Cs"):
            return True
    return False


def script_share(text: str, han: bool) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    if han:
        return sum(1 for c in letters if HAN.match(c)) / len(letters)
    return sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, "")) / len(
        letters
    )


def contains_any(text: str, phrases: tuple[str, ...]) -> str | None:
    """The first of `phrases` found in `text` (case-insensitive), or None."""
    lowered = text.lower()
    return next((p for p in phrases if p in lowered), None)


def repetition(
    words: list[str], n: int, max_share: float | None, max_loop: int | None, dense: bool
):
    """(evidence, score) of repeated n-grams or a loop; evidence None when the text is fine."""
    share = repeated_ngram_share(words, n) if dense else 0.0
    loop = longest_loop(words)
    if max_share is not None and dense and share > max_share:
        return f"{share:.2f}", 1 - share
    if max_loop is not None and loop >= max_loop:
        return f"loop={loop}", 0.0
    return None, 1 - share


def length_issues(
    counts: dict[str, int | None], bounds: dict[str, tuple[float, float] | None]
) -> list[str]:
    """`{name}_too_short` / `{name}_too_long` style issues for each measured length, with the
    value as evidence; `counts` and `bounds` map (short, long) issue names to a value and bounds."""
    issues = []
    for (low_name, high_name), value in counts.items():
        limits = bounds.get((low_name, high_name))
        if limits is None or value is None:  # an empty caption is reported as empty
            continue
        if value < limits[0]:
            issues.append(f"{low_name}:{value}<{limits[0]:g}")
        elif value > limits[1]:
            issues.append(f"{high_name}:{value}>{limits[1]:g}")
    return issues
