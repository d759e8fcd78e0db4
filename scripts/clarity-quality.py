#!/usr/bin/env python3
"""Quality of okno-clarity on the labelled set in bench/clarity/corpus/.

Prints precision and recall per rule family, the share of before/after pairs where the plain
rewrite scores higher, and the agreement of our Flesch Reading Ease with ruTS's
(ruts.ReadabilityStats, default preset «plainrussian», the same 206.835 − 1.3·ASL − 60.1·ASW)
on the same texts, with the word, sentence and syllable counts behind any disagreement.

Self-contained: creates a venv with ruts (CLARITY_VENV, default /tmp/clarity-venv) when
ruts is not importable, and builds the checker's `bench` example into CLARITY_TARGET
(default /work/target-clarity) when the binary is missing (CLARITY_PROFILE=debug: a debug build;
CLARITY_REBUILD=1: rebuild even when it exists).

    python3 scripts/clarity-quality.py [--details] [--details-heldout]
                                       [--set tuning|held-out|held-out-2]
                                       [--json OUT] [--corpus FILE N]

Three labelled sets are scored separately: the tuning set (passages.json, pairs.tsv), the
held-out set (heldout.json, heldout-pairs.tsv) and the second held-out set (heldout2.json,
heldout2-pairs.tsv). Both held-out sets were labelled before the checker ran on them and are not
to be tuned on (the first one has since been read for tuning: only heldout2 is still blind).
--details lists the tuning set's errors; --details-heldout the held-out sets' (for reporting
only).

--corpus FILE N also compares FRE with ruTS on the first N documents of a corpus written by
bench/clarity/gen_corpus.py (form-feed separated), a larger and noisier sample.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "bench", "clarity", "corpus")
VENV = os.environ.get("CLARITY_VENV", "/tmp/clarity-venv")
TARGET = os.environ.get("CLARITY_TARGET", "/work/target-clarity")
# CLARITY_PROFILE=debug uses a debug build (quicker to build, slower to run).
PROFILE = os.environ.get("CLARITY_PROFILE", "release")
BENCH = os.path.join(TARGET, PROFILE, "examples", "bench")

SENTENCE_FAMILIES = [
    "bureaucratese", "nominalisation", "passive", "genitive", "length", "abbreviation",
    "stock_phrase", "vague", "evaluation", "legal",
]
DOC_FAMILIES = ["structure", "address", "length_paragraph"]


def ensure_ruts():
    try:
        import ruts  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit("ruts is not importable even in the venv " + VENV)
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "ruts", "pymorphy3"], check=True)
    os.execv(python, [python] + sys.argv)


def ensure_bench():
    if os.path.exists(BENCH) and os.environ.get("CLARITY_REBUILD") != "1":
        return
    env = dict(os.environ, CARGO_TARGET_DIR=TARGET)
    profile = ["--release"] if PROFILE == "release" else []
    subprocess.run(["cargo", "build", *profile, "-p", "okno-clarity", "--examples"], cwd=ROOT, env=env, check=True)


# The three labelled sets. "tuning" is the set the rules were developed against; "held-out" and
# "held-out-2" were labelled before the checker ever ran on them and must never be used to tune
# the rules (see the "heldout" flag inside the files; "held-out" has since been read for tuning,
# so "held-out-2" is the blind one). Their figures are reported separately.
SETS = [
    ("tuning", "passages.json", "pairs.tsv"),
    ("held-out", "heldout.json", "heldout-pairs.tsv"),
    ("held-out-2", "heldout2.json", "heldout2-pairs.tsv"),
]


def load_passages(name="passages.json"):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        data = json.load(f)
    passages = []
    for p in data["passages"]:
        text, sentences = "", []
        for k, paragraph in enumerate(p["paragraphs"]):
            if k:
                text += "\n\n"
            for j, (sentence, families) in enumerate(paragraph):
                if j:
                    text += " "
                start = len(text)
                text += sentence
                unknown = set(families) - set(SENTENCE_FAMILIES)
                if unknown:
                    sys.exit(f"{p['id']}: unknown families {unknown}")
                sentences.append({"start": start, "end": len(text), "text": sentence, "expect": set(families)})
        unknown = set(p["doc"]) - set(DOC_FAMILIES)
        if unknown:
            sys.exit(f"{p['id']}: unknown document families {unknown}")
        passages.append({"id": p["id"], "kind": p["kind"], "text": text, "sentences": sentences, "doc": set(p["doc"])})
    return passages


def load_pairs(name="pairs.tsv"):
    pairs = []
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                pid, before, after = line.rstrip("\n").split("\t")
                pairs.append({"id": pid, "before": before, "after": after})
    return pairs


def run_checker(items):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
        path = f.name
    try:
        out = subprocess.run([BENCH, "jsonl", path], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return {r["id"]: r["report"] for r in map(json.loads, out.splitlines())}


def family_of(finding):
    return "length_paragraph" if finding["rule"] == "length.paragraph" else finding["family"]


def sentence_index(sentences, char):
    for i, s in enumerate(sentences):
        if char < s["end"]:
            return i
    return len(sentences) - 1


def evaluate(passages, reports):
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in SENTENCE_FAMILIES + DOC_FAMILIES}
    details = []
    for p in passages:
        report = reports[p["id"]]
        got = [set() for _ in p["sentences"]]
        got_doc = set()
        rules = [dict() for _ in p["sentences"]]
        for finding in report["findings"]:
            family = family_of(finding)
            if family in DOC_FAMILIES:
                got_doc.add(family)
                continue
            i = sentence_index(p["sentences"], finding["start"])
            got[i].add(family)
            span = p["text"][finding["start"]:finding["end"]]
            rules[i].setdefault(family, []).append(f"{finding['rule']}«{span}»")
        for i, s in enumerate(p["sentences"]):
            for family in SENTENCE_FAMILIES:
                expected, found = family in s["expect"], family in got[i]
                key = "tp" if expected and found else "fp" if found else "fn" if expected else None
                if key:
                    counts[family][key] += 1
                if key in ("fp", "fn"):
                    details.append((key.upper(), family, p["id"], s["text"], "; ".join(rules[i].get(family, []))))
        for family in DOC_FAMILIES:
            expected, found = family in p["doc"], family in got_doc
            key = "tp" if expected and found else "fp" if found else "fn" if expected else None
            if key:
                counts[family][key] += 1
            if key in ("fp", "fn"):
                details.append((key.upper(), family, p["id"], "(document)", ""))
    return counts, details


def ratio(a, b):
    return a / b if b else float("nan")


def fre_agreement(texts, reports):
    from ruts import BasicStats, ReadabilityStats

    rows = []
    for tid, text in texts:
        m = reports[tid]["metrics"]
        bs = BasicStats(text)
        ruts_fre = ReadabilityStats(bs).get_stats()["flesch_reading_easy"]
        rows.append({
            "id": tid,
            "ours": m["flesch_reading_ease"],
            "ruts": ruts_fre,
            "diff": abs(m["flesch_reading_ease"] - ruts_fre),
            "words": (m["words"], bs.n_words),
            "sentences": (m["sentences"], bs.n_sents),
            "syllables": (m["syllables"], bs.n_syllables),
        })
    return rows


def print_counts(counts):
    print(f"{'family':<18}{'TP':>4}{'FP':>4}{'FN':>4}{'precision':>11}{'recall':>8}")
    total = {"tp": 0, "fp": 0, "fn": 0}
    for family, c in counts.items():
        for k in total:
            total[k] += c[k]
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        print(f"{family:<18}{c['tp']:>4}{c['fp']:>4}{c['fn']:>4}{p:>11.2f}{r:>8.2f}")
    p, r = ratio(total["tp"], total["tp"] + total["fp"]), ratio(total["tp"], total["tp"] + total["fn"])
    print(f"{'all (micro)':<18}{total['tp']:>4}{total['fp']:>4}{total['fn']:>4}{p:>11.2f}{r:>8.2f}")


def main():
    ensure_ruts()
    ensure_bench()
    # --details lists the errors of the tuning set only. The held-out set's errors are listed
    # only with --details-heldout: read them to report, never to tune the rules.
    show = "--details" in sys.argv
    show_heldout = "--details-heldout" in sys.argv
    only = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else None
    sets = []
    for name, passages_file, pairs_file in SETS:
        if only and only != name:
            continue
        sets.append((name, load_passages(passages_file), load_pairs(pairs_file)))
    items = []
    for _, passages, pairs in sets:
        items += [{"id": p["id"], "text": p["text"], "kind": p["kind"]} for p in passages]
        for pair in pairs:
            items.append({"id": pair["id"] + ".before", "text": pair["before"], "kind": "general"})
            items.append({"id": pair["id"] + ".after", "text": pair["after"], "kind": "general"})
    reports = run_checker(items)

    summary = {}
    texts = []
    for name, passages, pairs in sets:
        details_here = show if name == "tuning" else show_heldout
        n_sentences = sum(len(p["sentences"]) for p in passages)
        print(f"=== {name} set: {len(passages)} passages, {n_sentences} sentences, {len(pairs)} before/after pairs")
        counts, details = evaluate(passages, reports)
        print("\nPrecision and recall per family (unit: sentence × family; structure, address and")
        print("length_paragraph: passage × family)")
        print_counts(counts)
        if details_here:
            print("\nErrors:")
            for kind, family, pid, text, rules in details:
                print(f"  {kind} {family:<15} {pid}: {text}" + (f"  [{rules}]" if rules else ""))

        print(f"\nBefore/after pairs, {name} set (default config):")
        higher = ties = 0
        for pair in pairs:
            b, a = reports[pair["id"] + ".before"]["score"], reports[pair["id"] + ".after"]["score"]
            higher += a > b
            ties += a == b
            if details_here or a <= b:
                print(f"  {pair['id']}: before {b:.1f} → after {a:.1f}" + ("" if a > b else "  <-- not higher"))
        print(f"  rewrite scores higher in {higher}/{len(pairs)} pairs ({higher / len(pairs):.0%}); ties {ties}\n")
        summary[name] = {"counts": counts, "pairs_higher": higher, "pairs": len(pairs), "ties": ties}

        texts += [(p["id"], p["text"]) for p in passages]
        for pair in pairs:
            texts += [(pair["id"] + ".before", pair["before"]), (pair["id"] + ".after", pair["after"])]

    if len(sets) > 1:
        combined = {f: {k: sum(summary[n]["counts"][f][k] for n in summary) for k in ("tp", "fp", "fn")}
                    for f in SENTENCE_FAMILIES + DOC_FAMILIES}
        print(f"=== all {len(sets)} sets together")
        print_counts(combined)

    rows = fre_agreement(texts, reports)
    diffs = [r["diff"] for r in rows]
    within = sum(d <= 0.5 for d in diffs)
    print(f"\nFlesch Reading Ease vs ruts {__import__('ruts').__version__} ReadabilityStats on {len(rows)} texts"
          f" ({', '.join(name for name, _, _ in sets)} set{'s' if len(sets) > 1 else ''}):")
    print(f"  max |diff| {max(diffs):.2f}, median {statistics.median(diffs):.2f}, within 0.5: {within}/{len(rows)}")
    same = {k: sum(r[k][0] == r[k][1] for r in rows) for k in ("words", "sentences", "syllables")}
    print("  counts equal (ours = ruts): " + ", ".join(f"{k} {v}/{len(rows)}" for k, v in same.items()))
    off = [r for r in rows if r["diff"] > 0.5]
    for r in sorted(off, key=lambda r: -r["diff"])[: (len(off) if show else 10)]:
        print(f"  {r['id']}: ours {r['ours']:.2f} ruts {r['ruts']:.2f} | words {r['words'][0]}/{r['words'][1]}"
              f" sentences {r['sentences'][0]}/{r['sentences'][1]} syllables {r['syllables'][0]}/{r['syllables'][1]}")

    if "--corpus" in sys.argv:
        at = sys.argv.index("--corpus")
        path, limit = sys.argv[at + 1], int(sys.argv[at + 2])
        docs, current = [], []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.rstrip("\n") == "\x0c":
                    docs.append("".join(current))
                    current = []
                    if len(docs) >= limit:
                        break
                else:
                    current.append(line)
        sample = [(f"doc{i}", text) for i, text in enumerate(docs) if text.strip()]
        sample_reports = run_checker([{"id": i, "text": t, "kind": "general"} for i, t in sample])
        rows = fre_agreement(sample, sample_reports)
        diffs = [r["diff"] for r in rows]
        print(f"\nFRE vs ruts on the first {len(rows)} documents of {path}:")
        print(f"  max |diff| {max(diffs):.2f}, median {statistics.median(diffs):.2f}, "
              f"within 0.5: {sum(d <= 0.5 for d in diffs)}/{len(rows)}")
        for k in ("words", "sentences", "syllables"):
            ours = sum(r[k][0] for r in rows)
            theirs = sum(r[k][1] for r in rows)
            equal = sum(r[k][0] == r[k][1] for r in rows)
            print(f"  {k}: equal in {equal}/{len(rows)} documents; total ours {ours}, ruts {theirs}")

    if "--json" in sys.argv:
        out = sys.argv[sys.argv.index("--json") + 1]
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"sets": summary, "fre": rows}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
