"""Cross-lingual agreement of a caption pair: contradictions, not omissions.

Each caption is read into mentions: a noun with the colours and the quantity bound to it ('two
brown dogs', 两只棕色的狗). English phrases are chunked with closed word classes and the
dictionary; Chinese is tagged by jieba (posseg), a colour or numeral binding to the next noun of
its clause. Two mentions are the same thing when the dictionary says so (car ~ 轿车 ~ 车). Then:

- a colour or count disagrees only when it is bound to the same thing on both sides and differs
  (colour families: navy ~ 藏青 ~ blue; quantities are ranges: about twenty ~ 二十来个); an
  attribute one side leaves out, or a colour inside a name (red panda, 白宫), is not a
  disagreement;
- numbers compare by value (3 ~ three ~ 三) and disagree only when each side has one the other
  lacks (23 vs 32);
- key nouns disagree when the main subjects differ (puppy vs 小猫), or when almost nothing on one
  side has a counterpart on the other (a caption of another clip);
- directions (left/right, zoom in/out, clockwise), roles (who does what to whom) and negation.

Every finding carries its evidence: `colours_mismatch:car=red|蓝色`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.caption_qa_dictionary import (
    EN_FUNCTION_WORDS,
    Colour,
    Dictionary,
    singular,
    words,
)

EN_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
EN_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
ZH_DIGITS |= {"七": 7, "八": 8, "九": 9}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_NUMERAL = re.compile(r"^(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)(.*)$")
ZH_COUNTED = re.compile(r"^([一二两三四五六七八九十]+)(个|只|位|名|条|头|匹|辆|张)(.{1,4})$")
EN_TOKEN = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")
EN_CLAUSE_BREAK = frozenset(".!?;:")
ZH_CLAUSE_BREAK = frozenset("，。；！？、,.;!?：:")
EN_COPULA = words("is are was were turns turn turned looks look appears appear painted")
EN_COLOUR_MODIFIERS = words("dark light bright pale deep vivid pastel neon dull")
# Mentions that say where or when, not who: never the main subject of a caption.
EN_NOT_SUBJECT = words(
    "video clip scene shot footage camera view frame image foreground background close-up "
    "closeup side front top middle center centre distance moment time day night morning "
    "evening afternoon sequence left right part end beginning start shot angle"
)
ZH_NOT_SUBJECT = words(
    "视频 画面 镜头 场景 片段 前景 背景 特写 中间 远处 时候 白天 夜晚 早上 傍晚 下午 上午 晚上 "
    "中央 左侧 右侧 一侧 旁边 前方 后方 开头 最后 角度 近景 远景"
)
EN_PREPOSITIONS = words(
    "in on at of with from into onto under behind beside near through across along by over "
    "toward towards among between around above below inside outside past to for"
)
EN_BARE_VERB_AFTER = words("they we you i can could will would may might must should to")
EN_DETERMINERS = words("the this that these those his her their its my our your")
ZH_NOUN_FLAGS = ("n", "nr", "ns", "nz", "ng", "nt", "l", "vn", "an")
ZH_PASSIVE = words("被 让 叫 给 遭")
ZH_VERB_FLAGS = ("v", "vd", "vg", "vi", "vq")


@dataclass(frozen=True)
class Quantity:
    low: float
    high: float | None  # None: no upper bound
    text: str
    exact: bool = False  # a number said as such (3, three, 三), not a range phrase
    article: bool = False  # a / an / 一 before a singular noun

    def overlaps(self, other: Quantity) -> bool:
        high = self.high if self.high is not None else float("inf")
        other_high = other.high if other.high is not None else float("inf")
        return self.low <= other_high and other.low <= high


@dataclass
class Mention:
    word: str  # English lemma or Chinese token
    surface: str
    index: int  # token position
    clause: int
    colours: list[tuple[Colour, str]] = field(default_factory=list)
    quantity: Quantity | None = None
    after_preposition: bool = False


@dataclass
class Reading:
    """What one caption says, for comparison with the other language."""

    mentions: list[Mention] = field(default_factory=list)
    numbers: list[Quantity] = field(default_factory=list)  # every number and range, by value
    verbs: list[tuple[int, int]] = field(default_factory=list)  # (token index, clause)
    passive: list[tuple[int, int]] = field(default_factory=list)
    tokens: list = field(default_factory=list)  # English words, or Chinese (word, flag)


def approximate(value: float, text: str) -> Quantity:
    """'about twenty' / 二十来个: within a third either way (two tens of 'dozens' apart)."""
    return Quantity(value * 0.7, value * 1.5, text)


def zh_numeral_value(numeral: str) -> float | None:
    """三 -> 3, 两 -> 2, 十二 -> 12, 一百零五 -> 105, 一千二 -> 1200, 二〇二四 -> 2024."""
    if re.fullmatch(r"\d+(\.\d+)?", numeral):
        return float(numeral)
    if not numeral or any(c not in ZH_DIGITS and c not in ZH_UNITS and c != "万" for c in numeral):
        return None
    if not any(c in ZH_UNITS or c == "万" for c in numeral):
        return float("".join(str(ZH_DIGITS[c]) for c in numeral))
    total = section = number = 0
    last_unit = 1
    for c in numeral:
        if c in ZH_DIGITS:
            number = ZH_DIGITS[c]
        elif c in ZH_UNITS:
            section += (number or 1) * ZH_UNITS[c]
            last_unit, number = ZH_UNITS[c], 0
        else:  # 万
            total += (section + number or 1) * 10000
            section = number = 0
            last_unit = 10000
    if number and numeral[-1] in ZH_DIGITS and len(numeral) > 1 and numeral[-2] in "百千万":
        number *= last_unit // 10  # 一千二 = 1200, 两万五 = 25000
    return float(total + section + number)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Agreement:
    """Reads captions into mentions and compares the two readings."""

    def __init__(self, dictionary: Dictionary, tagger):
        self.d = dictionary
        self.tagger = tagger  # jieba.posseg.POSTokenizer
        o = dictionary.overrides
        self.en_quantities = sorted(
            ((tuple(k.split()), v) for k, v in o["en_quantities"].items()),
            key=lambda kv: len(kv[0]),
            reverse=True,
        )
        self.en_quantity_starts = frozenset(p.split()[0] for p in o["en_quantities"]) | {
            p.split()[0] for p in o["en_approximate"]
        }
        self.en_approx = sorted(
            (tuple(p.split()) for p in o["en_approximate"]), key=len, reverse=True
        )
        self.zh_quantities = sorted(o["zh_quantities"].items(), key=lambda kv: -len(kv[0]))
        self.zh_approx = tuple(o["zh_approximate"])
        self.zh_measures = tuple(sorted(o["zh_measure_words"], key=len, reverse=True))
        self.zh_pairs = frozenset(o["zh_pair_measures"])
        self.zh_not_number = frozenset(o["zh_not_number"])
        self.en_negation = frozenset(o["en_negation"])
        self.en_not_negation = tuple(o["en_not_negation"])
        self.zh_negation = frozenset(o["zh_negation"])
        self.zh_not_negation = frozenset(o["zh_not_negation"])
        self.en_not_direction = tuple(o["en_not_direction"])
        self.zh_not_direction = tuple(sorted(o["zh_not_direction"], key=len, reverse=True))
        self.direction_pairs = [
            (
                [
                    re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
                    for words in g["en"]
                ],
                [tuple(words) for words in g["zh"]],
                (g["en"][0][0], g["en"][1][0]),
            )
            for g in o["directions"]
        ]

    # ------------------------------------------------------------------ English

    def _en_number(self, words: list[str], i: int) -> tuple[float, int] | None:
        token = words[i]
        plain = token.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", plain):
            value, used = float(plain), 1
        else:
            parts = token.split("-")
            if not all(p in EN_NUMBERS for p in parts) or (
                len(parts) > 1 and parts[0] in ("one", "zero")
            ):
                return None
            value, used = float(sum(EN_NUMBERS[p] for p in parts)), 1
        while i + used < len(words) and words[i + used] in EN_MULTIPLIERS:
            value *= EN_MULTIPLIERS[words[i + used]]
            used += 1
        return value, used

    def _en_quantity_at(self, words: list[str], i: int) -> tuple[Quantity, int] | None:
        word = words[i]
        if (
            word not in self.en_quantity_starts
            and not word[0].isdigit()
            and (word.split("-")[0] not in EN_NUMBERS)
        ):
            return None
        for phrase, (low, high) in self.en_quantities:
            if tuple(words[i : i + len(phrase)]) == phrase:
                return Quantity(low, high, " ".join(phrase)), len(phrase)
        approx = next((p for p in self.en_approx if tuple(words[i : i + len(p)]) == p), None)
        start = i + (len(approx) if approx else 0)
        if start < len(words):
            number = self._en_number(words, start)
            if number is not None:
                value, used = number
                text = " ".join(words[i : start + used])
                if approx:
                    return approximate(value, text), start + used - i
                return Quantity(value, value, text, exact=True), used
        return None

    def _en_noun(self, word: str) -> str | None:
        if word in EN_FUNCTION_WORDS or (not word.isalpha() and "-" not in word):
            return None
        if word.endswith("ly") and (word[:-2] in self.d.en_zh or word[:-3] + "y" in self.d.en_zh):
            return None  # an adverb: slowly, steadily
        lemma = singular(word)
        if self.d.knows_en(lemma):
            return lemma
        if self.d.knows_en(word):
            return word
        return None

    def _en_verb_like(self, words: list[str], i: int, after_noun: bool, bare: bool = True) -> bool:
        """A verb: 'walks' after a noun, 'running', 'turned'; not the plural noun 'dogs'."""
        word = words[i]
        if word in EN_COPULA:
            return True
        verbs = self.d.en_verbs
        if word.endswith("ing") and len(word) > 5:
            stem = word[:-3]
            if stem in verbs or stem + "e" in verbs or stem[:-1] in verbs:
                return True
        if word.endswith("ed") and len(word) > 4:
            stem = word[:-2]
            if stem in verbs or stem + "e" in verbs or stem[:-1] in verbs:
                return True
        if after_noun and word.endswith("s") and len(word) > 3:
            stems = [word[:-1]]
            if word.endswith(("shes", "ches", "sses", "xes", "zes", "oes")):
                stems.append(word[:-2])  # pushes, watches
            if word.endswith("ies"):
                stems.append(word[:-3] + "y")  # flies
            if any(stem in verbs for stem in stems):
                return True
        if not bare or word not in verbs or self._en_noun_only(word) or i == 0:
            return False
        # a bare verb follows a plural noun, a pronoun or a modal: dogs run, they run, can run
        previous = words[i - 1]
        return previous in EN_BARE_VERB_AFTER or (
            after_noun and previous.endswith("s") and singular(previous) != previous
        )

    def _en_noun_only(self, word: str) -> bool:
        return word in self.d.en_zh and word not in self.d.en_verbs

    def read_en(self, text: str) -> Reading:
        raw = EN_TOKEN.findall(text)
        words = [t.lower() for t in raw]
        reading = Reading(tokens=words)
        clause = 0
        colours: list[tuple[Colour, str]] = []
        quantity: Quantity | None = None
        after_prep = False
        sentence_start = True
        i = 0
        while i < len(words):
            word = words[i]
            if word in EN_CLAUSE_BREAK or word == ",":
                if colours and reading.mentions and reading.mentions[-1].clause == clause:
                    reading.mentions[-1].colours += colours
                colours, quantity, after_prep = [], None, False
                if word in EN_CLAUSE_BREAK:
                    clause += 1
                    sentence_start = True
                i += 1
                continue
            found = self._en_quantity_at(words, i)
            if found and not (
                found[0].exact
                and i + found[1] < len(words)
                and (
                    words[i + found[1]] in ("-",) or (raw[i][0].isdigit() and raw[i].endswith("s"))
                )
            ):
                q, used = found
                reading.numbers.append(q)
                quantity = q
                i += used
                continue
            if word in ("a", "an") and quantity is None:
                quantity = Quantity(1, 1, word, article=True)
                i += 1
                continue
            colour = self.d.en_colour(word)
            if colour is None and "-" in word:
                parts = [self.d.en_colour(p) for p in word.split("-")]
                if any(parts) and all(
                    p or w in ("and", "colored", "coloured")
                    for p, w in zip(parts, word.split("-"), strict=True)
                ):
                    colours += [(p, word) for p in parts if p]
                    i += 1
                    continue
            capitalised = raw[i][:1].isupper() and not sentence_start
            if colour is not None and not capitalised:
                nxt = words[i + 1] if i + 1 < len(words) else ""
                nxt2 = words[i + 2] if i + 2 < len(words) else ""
                if nxt and (
                    self.d.is_en_colour_compound(f"{word} {nxt}")
                    or (nxt2 and self.d.is_en_colour_compound(f"{word} {nxt} {nxt2}"))
                ):
                    lemma = f"{word} {singular(nxt)}"
                    reading.mentions.append(
                        Mention(lemma, f"{word} {nxt}", i, clause, [], quantity, after_prep)
                    )
                    colours, quantity = [], None
                    i += 2
                    continue
                colours.append((colour, word))
                i += 1
                continue
            sentence_start = False
            if word in EN_COLOUR_MODIFIERS or (word in ("and", "or") and colours):
                i += 1
                continue
            previous = words[i - 1] if i > 0 else ""
            after_noun = (
                previous.isalpha()
                and previous not in EN_FUNCTION_WORDS
                and previous not in EN_NUMBERS
                and previous not in self.en_quantity_starts
                and self.d.en_colour(previous) is None
            )
            if self._en_verb_like(
                words,
                i,
                after_noun
                or (i > 0 and words[i - 1] in ("he", "she", "it", "they", "who", "which", "that")),
            ):
                reading.verbs.append((i, clause))
                if word in EN_COPULA and reading.mentions:
                    pass  # predicative colours bind back at the clause end
                else:
                    colours = []
                quantity, after_prep = None, False
                i += 1
                continue
            if word == "by" and reading.verbs and reading.verbs[-1][1] == clause:
                reading.passive.append((i, clause))
            lemma = self._en_noun(word)
            if lemma is None:
                if word in EN_PREPOSITIONS:
                    after_prep = True
                if word in EN_FUNCTION_WORDS and word not in EN_DETERMINERS and word != "of":
                    quantity = None  # an unknown adjective (elderly, crowded) keeps the count
                i += 1
                continue
            nxt = words[i + 1] if i + 1 < len(words) else ""
            nxt_noun = (
                self._en_noun(nxt) is not None
                and not self._en_verb_like(words, i + 1, True, bare=False)
                and (nxt not in self.d.en_verbs or f"{word} {nxt}" in self.d.en_zh)
            )
            if (nxt_noun or self.d.en_colour(nxt) is not None) and not (
                word.endswith("s") and singular(word) != word
            ):
                i += 1  # a modifier: city street, bus stop, small brown rabbit
                continue
            mention = Mention(lemma, raw[i], i, clause, colours, quantity, after_prep)
            reading.mentions.append(mention)
            colours, quantity, after_prep = [], None, False
            i += 1
        if colours and reading.mentions and reading.mentions[-1].clause == clause:
            reading.mentions[-1].colours += colours
        return reading

    # ------------------------------------------------------------------ Chinese

    def _zh_numeral(self, word: str) -> tuple[Quantity, str] | None:
        """(quantity, measure word) of 两只 / 十二 / 3 / 几十只 / 一对; None for 一起, 三明治."""
        if word in self.zh_not_number or word.startswith("第"):
            return None
        for phrase, (low, high) in self.zh_quantities:
            if word.startswith(phrase):
                rest = word[len(phrase) :]
                if rest and rest not in self.zh_measures:
                    return None
                return Quantity(low, high, word), rest
        match = ZH_NUMERAL.match(word)
        if not match:
            return None
        numeral, rest = match.groups()
        approx = False
        for marker in ("多", "余", "来"):
            if rest.startswith(marker):
                rest, approx = rest[1:], True
        if rest and rest not in self.zh_measures and rest not in ("号", "点", "岁", "年"):
            return None  # 三明治; 一个男孩 is a count glued to a noun (read as a noun)
        value = zh_numeral_value(numeral)
        if value is None:
            return None
        if rest in self.zh_pairs and value == 1:
            return Quantity(2, 2, word), rest
        if approx:
            return Quantity(value, value * 1.5, word), rest
        article = value == 1 and numeral == "一"
        return Quantity(value, value, word, exact=not article, article=article), rest

    def tag_zh(self, text: str) -> list[tuple[str, str]]:
        """jieba words and part-of-speech flags, blanks left out."""
        return [(w, f) for w, f in self.tagger.lcut(text, HMM=False) if w.strip()]

    def read_zh(self, text: str, tagged: list[tuple[str, str]] | None = None) -> Reading:
        tagged = self.tag_zh(text) if tagged is None else tagged
        reading = Reading(tokens=tagged)
        clause = 0
        colours: list[tuple[Colour, str]] = []
        quantity: Quantity | None = None
        compound = ""
        for i, (word, flag) in enumerate(tagged):
            if word in ZH_CLAUSE_BREAK or all(c in ZH_CLAUSE_BREAK for c in word):
                if colours and reading.mentions and reading.mentions[-1].clause == clause:
                    reading.mentions[-1].colours += colours
                colours, quantity = [], None
                clause += 1
                continue
            if word in ZH_PASSIVE:
                reading.passive.append((i, clause))
            numeral = (
                self._zh_numeral(word)
                if flag in ("m", "eng", "mq", "q")
                or (word[0].isdigit() or word[0] in ZH_DIGITS or word in dict(self.zh_quantities))
                else None
            )
            if numeral is not None:
                q, measure = numeral
                if i + 1 < len(tagged) and tagged[i + 1][0] in self.zh_approx[:3]:
                    q = Quantity(q.low, q.low * 1.5, q.text + tagged[i + 1][0])
                if not measure and i + 1 < len(tagged) and tagged[i + 1][0] in self.zh_pairs:
                    q = Quantity(2 * q.low, 2 * (q.high or q.low), q.text) if q.low == 1 else q
                if i > 0 and tagged[i - 1][0] in self.zh_approx:
                    q = approximate(q.low, tagged[i - 1][0] + q.text)
                reading.numbers.append(q)
                quantity = q
                continue
            colour = self.d.zh_colour(word)
            if colour is not None:
                colours.append((colour, word))
                continue
            if flag.startswith(ZH_VERB_FLAGS) or flag == "p":
                if flag != "p":
                    reading.verbs.append((i, clause))
                    if not self._de_ahead(tagged, i):
                        quantity = None  # 两只狗在跑; but 三个穿雨衣的孩子 keeps it
                if colours and flag != "p" and word not in ("是", "呈", "变成", "变得", "变"):
                    colours = []
                continue
            counted = (
                quantity is not None
                and i > 0
                and tagged[i - 1][1] in ("m", "q", "mq")
                and flag not in ("x", "uj", "ul", "p", "d", "c")
                and self.d.knows_zh(word)
            )  # 一只鸟: jieba may tag 鸟 zg; after a count it is the noun counted
            if counted or (
                flag.startswith(ZH_NOUN_FLAGS) and (self.d.knows_zh(word) or flag == "n")
            ):
                nxt_word, nxt_flag = tagged[i + 1] if i + 1 < len(tagged) else ("", "")
                if nxt_flag.startswith(("n", "ng")) and self.d.zh_colour(nxt_word) is None:
                    # noun + noun is a compound, head last (羊角 面包, 城市 街道): the first is a
                    # mention of its own; counts and colours wait for the head
                    reading.mentions.append(Mention(word, word, i, clause))
                    compound = word
                    continue
                if compound and self.d.knows_zh(compound + word):
                    word = compound + word
                compound = ""
                glued = ZH_COUNTED.match(word)
                if glued and self.d.knows_zh(glued[3]) and not self.d.knows_zh(word):
                    # jieba keeps 一个男孩 as one word: a count and a noun
                    numeral = self._zh_numeral(glued[1] + glued[2])
                    if numeral is not None:
                        quantity = numeral[0]
                        reading.numbers.append(quantity)
                        word = glued[3]
                # A colour character at the front of a noun compound the dictionary does not
                # know as a word of its own (红衣, 白发) is a colour bound to it.
                if (
                    not colours
                    and len(word) >= 2
                    and self.d.zh_colour(word[0])
                    and (word not in self.d.overrides["zh_not_colour"])
                    and not self.d.knows_zh(word)
                ):
                    colours.append((self.d.zh_colour(word[0]), word[0]))
                modifier = i + 1 < len(tagged) and tagged[i + 1][0] == "的" and quantity
                mention = Mention(word, word, i, clause, colours, None if modifier else quantity)
                reading.mentions.append(mention)
                colours = []
                if not modifier:
                    quantity = None
        if colours and reading.mentions and reading.mentions[-1].clause == clause:
            reading.mentions[-1].colours += colours
        return reading

    @staticmethod
    def _de_ahead(tagged: list[tuple[str, str]], i: int) -> bool:
        """A 的 later in this clause: what came before modifies a noun after it."""
        for word, _ in tagged[i + 1 : i + 12]:
            if word in ZH_CLAUSE_BREAK:
                return False
            if word == "的":
                return True
        return False

    # ------------------------------------------------------------------ comparison

    def _pairs(self, en: Reading, zh: Reading):
        for m in en.mentions:
            for n in zh.mentions:
                if self.d.compatible(m.word, n.word):
                    yield m, n

    @staticmethod
    def _colours_agree(m: Mention, n: Mention) -> bool:
        """navy ~ 藏青 ~ 深蓝; silver ~ 灰; not silver ~ 黑 (both near grey, not each other)."""
        return any(
            a.name in b.family or b.name in a.family for a, _ in m.colours for b, _ in n.colours
        )

    def colours(self, en: Reading, zh: Reading) -> list[str]:
        found = []
        pairs = list(self._pairs(en, zh))
        for m, n in pairs:
            if not m.colours or not n.colours:
                continue
            if self._colours_agree(m, n):
                continue
            # the same thing may be described twice on one side; any agreeing mention wins
            if any(mm is m and o.colours and self._colours_agree(m, o) for mm, o in pairs):
                continue
            en_words = "+".join(w for _, w in m.colours)
            zh_words = "+".join(w for _, w in n.colours)
            found.append(f"{m.word}={en_words}|{zh_words}")
        return list(dict.fromkeys(found))

    def counts(self, en: Reading, zh: Reading) -> list[str]:
        found = []
        pairs = list(self._pairs(en, zh))
        for m, n in pairs:
            a, b = m.quantity, n.quantity
            if a is None or b is None or a.article or b.article:
                continue  # a / an / 一 is an article as often as a count
            if a.overlaps(b):
                continue
            agreeing = [
                o
                for mm, o in pairs
                if mm is m and o.quantity is not None and a.overlaps(o.quantity)
            ]
            if agreeing:
                continue
            found.append(f"{m.word}={a.text}|{b.text}")
        return list(dict.fromkeys(found))

    def numbers(self, en: Reading, zh: Reading) -> list[str]:
        def unmatched(ours: list[Quantity], theirs: list[Quantity]) -> list[Quantity]:
            return [
                q for q in ours if q.exact and q.low >= 2 and not any(q.overlaps(t) for t in theirs)
            ]

        en_only, zh_only = unmatched(en.numbers, zh.numbers), unmatched(zh.numbers, en.numbers)
        if en_only and zh_only:
            en_text = "+".join(dict.fromkeys(_fmt(q.low) for q in en_only))
            zh_text = "+".join(dict.fromkeys(q.text for q in zh_only))
            return [f"{en_text}|{zh_text}"]
        return []

    def subjects(self, en: Reading, zh: Reading) -> tuple[list[str], float]:
        """Nouns: the main subjects differ, or almost nothing has a counterpart. Also the share of
        known nouns with a counterpart (the score of the check)."""
        en_known = [m for m in en.mentions if self.d.knows_en(m.word) or " " in m.word]
        zh_known = [n for n in zh.mentions if self.d.knows_zh(n.word)]
        pairs = list(self._pairs(en, zh))
        en_matched = {id(m) for m, _ in pairs}
        zh_matched = {id(n) for _, n in pairs}
        en_lemmas = {m.word for m in en_known}
        zh_words = {n.word for n in zh_known}
        en_share = len({m.word for m in en_known if id(m) in en_matched}) / max(1, len(en_lemmas))
        zh_share = len({n.word for n in zh_known if id(n) in zh_matched}) / max(1, len(zh_words))
        # a caption of another clip leaves both sides without counterparts
        share = max(en_share, zh_share) if en_lemmas and zh_words else 1.0
        found = []
        swapped = self._swapped(en, zh, en_matched, zh_matched)
        if swapped and not found:
            found.append(swapped)
        if not found and len(en_lemmas) >= 4 and len(zh_words) >= 4 and share < 0.25:
            found.append(f"unrelated={en_share:.2f}|{zh_share:.2f}")
        return found, share

    def _swapped(self, en: Reading, zh: Reading, en_matched: set, zh_matched: set) -> str | None:
        """A thing replaced by its sibling (dog / 猫, bicycle / 摩托车, man / 女子)."""
        for group, (en_words, zh_chars) in enumerate(self.d.disjoint):
            en_in = {m.surface.lower() for m in en.mentions if m.word in en_words}
            others = [
                n.word
                for n in zh.mentions
                for g, (_, chars) in enumerate(self.d.disjoint)
                if g != group and any(c in n.word for c in chars)
            ]
            same = [n for n in zh.mentions if any(c in n.word for c in zh_chars)]
            en_other = [
                m
                for m in en.mentions
                for g, (words, _) in enumerate(self.d.disjoint)
                if g != group and m.word in words
            ]
            if en_in and others and not same and not en_other:
                return f"{sorted(en_in)[0]}|{others[0]}"
        en_free = [m for m in en.mentions if id(m) not in en_matched]
        zh_free = [n for n in zh.mentions if id(n) not in zh_matched]
        for m in en_free:
            if not self.d.categories([m.word]):
                continue
            for n in zh_free:
                if self.d.siblings(m.word, self.d.zh_en.get(n.word, frozenset())):
                    return f"{m.surface.lower()}|{n.word}"
        return None

    def directions(self, en_text: str, zh_text: str) -> list[str]:
        en = en_text.lower()
        for phrase in self.en_not_direction:
            en = en.replace(phrase, " ")
        zh = zh_text
        for phrase in self.zh_not_direction:
            zh = zh.replace(phrase, " ")
        found = []
        for en_poles, zh_poles, names in self.direction_pairs:
            en_has = [bool(p.search(en)) for p in en_poles]
            zh_has = [any(w in zh for w in words) for words in zh_poles]
            if en_has in ([True, False], [False, True]) and zh_has == en_has[::-1]:
                pole = 0 if en_has[0] else 1
                zh_word = next(w for w in zh_poles[1 - pole] if w in zh)
                found.append(f"{names[pole]}|{zh_word}")
            elif all(en_has) and all(zh_has):
                en_first = min((p.search(en).start(), k) for k, p in enumerate(en_poles))[1]
                zh_first = min(
                    (min(zh.find(w) for w in words if w in zh), k)
                    for k, words in enumerate(zh_poles)
                )[1]
                from_to = re.search(r"from the (\w+) to the (\w+)|from (\w+) to (\w+)", en)
                zh_from_to = re.search(r"从(.)(?:向|到|往|至)(.)", zh)
                if from_to and zh_from_to and en_first != zh_first:
                    found.append(f"{names[en_first]}->{names[1 - en_first]}|{zh_from_to[0]}")
        return found

    def negation(self, en_text: str, en_words: list[str], zh: list[tuple[str, str]]) -> list[str]:
        text = " " + " ".join(en_words) + " "
        for phrase in self.en_not_negation:
            text = text.replace(f" {phrase} ", " ")
        en_neg = [w for w in text.split() if w in self.en_negation or w.endswith("n't")]
        zh_neg = []
        for i, (w, f) in enumerate(zh):
            if w in self.zh_not_negation or w in self.zh_not_number:
                continue
            if w in self.zh_negation and len(w) > 2:
                zh_neg.append(w)  # 空无一人, 看不见: negation on their own
            elif w in self.zh_negation or (w[0] in "不没未" and len(w) <= 2 and f[0] in "dv"):
                # 不 / 没有 negate what follows when it goes on (没有拿咖啡, 不往篮子里装, 没有在);
                # a negated word that ends its phrase is an adjective (保持不动, 不再透明)
                nxt = zh[i + 1 : i + 3]
                first = nxt[0] if nxt else ("", "")
                second = nxt[1] if len(nxt) > 1 else ("", "")
                if w + first[0] in self.zh_not_negation:
                    continue  # 未完工 split by jieba into 未 + 完工
                if first[1] in ("p", "zg") or first[0] in ("在", "往", "向", "把", "被"):
                    zh_neg.append(w)
                elif w.startswith("没") and first[1].startswith(("n", "r", "m", "v")):
                    zh_neg.append(w)  # 没有车, 没有人
                elif (
                    first[1].startswith("v")
                    and second[0]
                    and second[0] not in ZH_CLAUSE_BREAK
                    and (second[0] != "的")
                ):
                    zh_neg.append(w)
        if bool(en_neg) != bool(zh_neg):
            return [f"{en_neg[0] if en_neg else '-'}|{zh_neg[0] if zh_neg else '-'}"]
        return []

    def roles(self, en: Reading, zh: Reading) -> list[str]:
        """Who does what to whom reversed: 'a dog chases a cat' vs 一只猫在追一只狗, 'a boy is
        chased by a goose' vs 男孩在追鹅. Passives on either side (by, 被) are read as such."""
        found = []
        for clause in sorted({m.clause for m in en.mentions}):
            ms = [m for m in en.mentions if m.clause == clause]
            subject = next((m for m in ms if not m.after_preposition), None)
            if subject is None:
                continue
            verb = next((i for i, c in en.verbs if c == clause and i > subject.index), None)
            if verb is None:
                continue
            by = next((i for i, c in en.passive if c == clause and i > verb), None)
            if by is not None:  # passive: the agent follows "by"
                agent = next((m for m in ms if m.index > by), None)
                patient = subject
            else:
                agent = subject
                patient = next((m for m in ms if m.index > verb and not m.after_preposition), None)
            if agent is None or patient is None or self.d.compatible(agent.word, patient.word):
                continue
            for zh_clause in sorted({n.clause for n in zh.mentions}):
                ns = [n for n in zh.mentions if n.clause == zh_clause]
                a = next((n for n in ns if self.d.compatible(agent.word, n.word)), None)
                p = next((n for n in ns if self.d.compatible(patient.word, n.word)), None)
                if a is None or p is None or a is p:
                    continue
                if self.d.compatible(agent.word, p.word) or self.d.compatible(patient.word, a.word):
                    continue
                first, second = sorted((a, p), key=lambda n: n.index)
                between = [
                    i for i, c in zh.verbs if c == zh_clause and first.index < i < second.index
                ]
                passive = any(
                    c == zh_clause and first.index < i < second.index for i, c in zh.passive
                )
                agent_first = (a.index < p.index) != passive
                if between and not agent_first:
                    found.append(f"{agent.word}>{patient.word}|{first.word}>{second.word}")
        return found
