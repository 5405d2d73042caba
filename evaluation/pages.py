"""Article pages made up from a fixed vocabulary: distinct texts that pass newsmon's
quality filters, for tests and benchmarks that need many pages and care about none."""

from __future__ import annotations

import random

_VOCABULARY = """council budget railway harbour minister report vote court election river
bridge school hospital energy price market export factory farmer weather storm police museum
festival treaty border talks summit ministry agency union strike airport tunnel coast island
province city village mayor senate parliament judge audit water grain steel timber fishing
shipping tourism"""
WORDS = tuple(_VOCABULARY.split())


def made_up_article(rng: random.Random, title: str, sentences: int = 14) -> str:
    """An HTML page of about 14 words per sentence, different on every call."""
    said = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
        said.append(" ".join(words).capitalize() + ".")
    paragraphs = "".join(f"<p>{' '.join(said[k:k + 4])}</p>" for k in range(0, sentences, 4))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>")
