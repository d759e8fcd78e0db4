#!/usr/bin/env python3
"""Generates the throughput corpus for bench/clarity/run.sh.

    python gen_corpus.py OUT [MEGABYTES] [SEED]

Documents (one to four paragraphs, optionally a greeting) are assembled from the sentences of
the labelled set (corpus/passages.json, corpus/pairs.tsv) and a few templates, shuffled, with
the vocabulary varied so a word-form cache is not trivially hit:
- about a third of the common nouns are replaced by a random noun of the same case, number
  and gender drawn from pymorphy3's dictionary (tens of thousands of word forms; adjectives
  keep agreeing);
- generated surnames, first names and patronymics (roots × suffixes × case endings), many
  of them unknown to any dictionary;
- every run of digits is replaced by random digits of the same length.
Documents are separated by a line holding only a form feed (\\x0c). Deterministic for a seed.
Needs pymorphy3 (run.sh runs it in its venv).
"""

import json
import os
import random
import re
import sys

import pymorphy3

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
SKIP_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Fixd", "Trad"}
# Nouns inside fixed official formulas: replacing them would only destroy the formula.
KEEP = {
    "целях", "соответствии", "связи", "рамках", "течение", "случае", "результатам", "основании",
    "сведения", "порядке", "срок", "сроки", "время", "вопросам", "внимание", "обращение", "федерации",
    "закона", "статьи", "пункта", "пунктом", "статьёй", "кодекса", "правительства", "госуслуги", "госуслугах",
}
WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*|\d+|[^\sА-Яа-яЁё\d]+|\s+")

ROOTS = (
    "Бел Чер Сер Кузнец Лебед Воронц Сокол Медвед Журавл Голуб Мороз Снегир Орл Волк Комар Сорок "
    "Гусев Зайц Карп Щук Лис Ёлк Берёз Дубр Осин Клён Ряб Калин Малин Смородин Гречих Овс Просянк "
    "Рыж Кудр Лыс Горбун Тих Громк Весел Добр Смирн Кротк Стар Нов Быстр Коротк Долг Широк "
    "Плотник Кожевник Гончар Бондар Мельник Пекар Рыбак Охотник Пахар Ткач Портн Сапожник Кузьмин "
    "Андре Петр Иван Павл Никит Фом Лук Матве Тимофе Григор Семён Фёдор Степан Трофим Прохор Савел"
).split()
SUFFIXES_M = ("ов", "ев", "ин", "ский", "цов", "енков", "ищев", "ушкин", "анов", "ёнков")
FIRST = (
    "Иван Пётр Сергей Андрей Алексей Дмитрий Михаил Николай Олег Виктор Юрий Артём Глеб Денис "
    "Анна Мария Ольга Елена Татьяна Наталья Ирина Светлана Екатерина Дарья Полина Вера Любовь Зоя"
).split()
PATRONYMIC_ROOTS = "Иванов Петров Сергеев Андреев Алексеев Дмитриев Михайлов Николаев Олегов Викторов Юрьев Павлов Борисов Григорьев".split()
TOPICS = (
    "о предоставлении субсидии", "о перерасчёте платы", "о выдаче справки", "о ремонте подъезда",
    "о назначении пенсии", "о месте в детском саду", "о вывозе мусора", "о парковке у дома",
    "о компенсации за проезд", "о постановке на учёт", "о замене счётчика", "о благоустройстве двора",
)
CITIES = "Тверь Рязань Калуга Тула Вологда Кострома Пенза Самара Томск Омск Курган Чита Ухта Сочи Ейск".split()
STREETS = "Садовая Лесная Полевая Школьная Заводская Молодёжная Набережная Луговая Речная Советская".split()


def surname(rng, case, female):
    base = rng.choice(ROOTS) + rng.choice(SUFFIXES_M)
    if base.endswith("ский"):
        stem = base[:-4] + "ск"
        ends = {"nomn": "ая", "gent": "ой", "datv": "ой", "ablt": "ой", "loct": "ой"} if female else \
            {"nomn": "ий", "gent": "ого", "datv": "ому", "ablt": "им", "loct": "ом"}
        return stem + ends[case]
    ends = {"nomn": "а", "gent": "ой", "datv": "ой", "ablt": "ой", "loct": "ой"} if female else \
        {"nomn": "", "gent": "а", "datv": "у", "ablt": "ым", "loct": "е"}
    return base + ends[case]


def person(rng, case):
    female = rng.random() < 0.5
    initials = f"{rng.choice('АБВГДЕЖЗИКЛМНОПРСТУФЭЮЯ')}. {rng.choice('АБВГДЕИКЛМНОПРСТФ')}."
    return f"{surname(rng, case, female)} {initials}"


def greeting(rng):
    name = rng.choice(FIRST)
    patronymic = rng.choice(PATRONYMIC_ROOTS) + ("на" if name[-1] in "аяь" else "ич")
    if rng.random() < 0.5:
        return f"Здравствуйте, {name} {patronymic}!"
    return f"{'Уважаемая' if name[-1] in 'аяь' else 'Уважаемый'} {name} {patronymic}!"


def template(rng):
    n = rng.randrange(6)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2020, 2027)
    date = f"{day:02d}.{month:02d}.{year}"
    if n == 0:
        return f"Обращение {person(rng, 'gent')} {rng.choice(TOPICS)} зарегистрировано {date} под № {rng.randint(1, 9999)}-о."
    if n == 1:
        return f"{person(rng, 'nomn')} проживает по адресу: г. {rng.choice(CITIES)}, ул. {rng.choice(STREETS)}, д. {rng.randint(1, 150)}, кв. {rng.randint(1, 300)}."
    if n == 2:
        return f"Сумма выплаты составляет {rng.randint(500, 90000)} руб. {rng.randint(0, 99)} коп. в месяц."
    if n == 3:
        return f"Документы передал {person(rng, 'nomn')}, ответ направлен {person(rng, 'datv')} {date}."
    if n == 4:
        return f"Комиссия встретилась с {person(rng, 'ablt')} и обсудила вопрос {rng.choice(TOPICS)}."
    return f"Позвоните {person(rng, 'datv')} по телефону 8 ({rng.randint(300, 999)}) {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}."


def load_sentences():
    with open(os.path.join(HERE, "corpus", "passages.json"), encoding="utf-8") as f:
        data = json.load(f)
    sentences = [s for p in data["passages"] for para in p["paragraphs"] for s, _ in para]
    with open(os.path.join(HERE, "corpus", "pairs.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                sentences += line.rstrip("\n").split("\t")[1:]
    # Greetings come from greeting(); drop the labelled ones.
    return [s for s in sentences if not re.match(r"(Уважаем|Здравствуйте|Добрый день)", s)]


def noun_table(morph):
    """(case, number, gender) → noun forms, from pymorphy3's dictionary."""
    table = {}
    seen = set()
    for prefix in ("пр", "по", "ра", "за", "об", "ко"):
        for word, tag, _normal, _para, _idx in morph.iter_known_word_parses(prefix):
            if tag.POS != "NOUN" or tag.case not in CASES or (SKIP_TAGS & tag.grammemes) or len(word) < 4:
                continue
            key = (tag.case, tag.number, tag.gender if tag.number == "sing" else None)
            if (key, word) in seen:
                continue
            seen.add((key, word))
            table.setdefault(key, []).append(word)
    return table


def slots(morph, sentence):
    """Tokens of a sentence, with the (case, number, gender) key of each replaceable noun."""
    out = []
    for token in WORD.findall(sentence):
        key = None
        if token[0].isalpha() and token.lower() not in KEEP and not token.isupper():
            parse = morph.parse(token)[0]
            tag = parse.tag
            if tag.POS == "NOUN" and tag.case in CASES and not (SKIP_TAGS & tag.grammemes) and parse.score > 0.5:
                key = (tag.case, tag.number, tag.gender if tag.number == "sing" else None)
        out.append((token, key))
    return out


def vary(rng, tokens, table):
    parts = []
    for token, key in tokens:
        if token.isdigit():
            token = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in token[1:])
        elif key and key in table and rng.random() < 0.35:
            new = rng.choice(table[key])
            token = new.capitalize() if token[0].isupper() else new
        parts.append(token)
    return "".join(parts)


def main():
    out = sys.argv[1]
    megabytes = float(sys.argv[2]) if len(sys.argv) > 2 else 55
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 6)
    morph = pymorphy3.MorphAnalyzer()
    table = noun_table(morph)
    pool = [slots(morph, s) for s in load_sentences()]
    target = int(megabytes * 1e6)
    written = documents = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            paragraphs = []
            if rng.random() < 0.5:
                paragraphs.append(greeting(rng))
            for _ in range(rng.randint(1, 4)):
                sentences = []
                for _ in range(rng.randint(1, 5)):
                    sentences.append(template(rng) if rng.random() < 0.15 else vary(rng, rng.choice(pool), table))
                paragraphs.append(" ".join(sentences))
            doc = "\n\n".join(paragraphs) + "\n\x0c\n"
            f.write(doc)
            written += len(doc.encode("utf-8"))
            documents += 1
    forms = sum(len(v) for v in table.values())
    print(json.dumps({"out": out, "bytes": written, "documents": documents, "noun_forms": forms, "pool": len(pool)}))


if __name__ == "__main__":
    main()
