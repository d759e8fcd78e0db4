#!/usr/bin/env python3
"""The Python side of the throughput benchmark: a ruts + pymorphy3 pipeline.

    python python_pipeline.py CORPUS MEGABYTES [--cache]

For each document of CORPUS (separated by form-feed lines, as gen_corpus.py writes them) until
MEGABYTES of input are read: tokenise with ruts' WordsExtractor (razdel), morph-parse every
word with pymorphy3 (MorphAnalyzer.parse, all parses), and compute ruts.ReadabilityStats
(which segments sentences with razdel and counts words and syllables itself). With --cache
the parse goes through functools.lru_cache(maxsize=100_000), as a word-form cache would.
Single process, single thread. Prints one JSON object: bytes, documents, words, seconds, MB/s,
CPU seconds (time.process_time) and MB per CPU second.
The analyser is built before the clock starts.
"""

import functools
import json
import sys
import time

import pymorphy3
from ruts import BasicStats, ReadabilityStats, WordsExtractor

SEPARATOR = "\x0c"


def documents(path, limit):
    read = 0
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            read += len(line.encode("utf-8"))
            if line.rstrip("\n") == SEPARATOR:
                if lines:
                    yield "".join(lines), read
                lines = []
                if read >= limit:
                    return
            else:
                lines.append(line)
    if lines:
        yield "".join(lines), read


def main():
    path, megabytes = sys.argv[1], float(sys.argv[2])
    morph = pymorphy3.MorphAnalyzer()
    parse = functools.lru_cache(maxsize=100_000)(morph.parse) if "--cache" in sys.argv else morph.parse
    extractor = WordsExtractor()
    morph.parse("прогрев")
    started = time.perf_counter()
    cpu_started = time.process_time()
    n_docs = n_words = n_bytes = 0
    fre = 0.0
    for text, n_bytes in documents(path, int(megabytes * 1e6)):
        words = extractor.extract(text)
        for word in words:
            parse(word)
        stats = ReadabilityStats(BasicStats(text)).get_stats()
        fre += stats["flesch_reading_easy"]
        n_docs += 1
        n_words += len(words)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({
        "variant": "ruts+pymorphy3" + ("+lru_cache" if "--cache" in sys.argv else ""),
        "bytes": n_bytes, "documents": n_docs, "words": n_words, "seconds": seconds,
        "mb_per_s": n_bytes / 1e6 / seconds,
        "cpu_seconds": cpu, "mb_per_cpu_s": n_bytes / 1e6 / cpu, "mean_fre": fre / max(n_docs, 1),
    }))


if __name__ == "__main__":
    main()
