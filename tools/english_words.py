"""Write data/safety/english_words.txt: the commonest English words, never "corrected" by the
safety engine's typo corrector.

Run once, outside the project's environment (wordfreq is no dependency of medrush):

    python -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1
    /tmp/wf/bin/python tools/english_words.py

Source: wordfreq 3.1.1 by Robyn Speer (https://github.com/rspeer/wordfreq), code Apache-2.0, word
frequency data CC BY-SA 4.0 (built from Wikipedia, subtitles, news, books, web text, Reddit and
Twitter). The list written here is data derived from it and keeps that licence.
"""

from __future__ import annotations

import re
from pathlib import Path

import wordfreq

TOP = 30_000
OUT = Path(__file__).resolve().parents[1] / "data" / "safety" / "english_words.txt"
HEADER = f"""\
# The {TOP:,} most frequent English words of wordfreq 3.1.1 (Robyn Speer,
# https://github.com/rspeer/wordfreq), letters a-z only, sorted; written by tools/english_words.py.
# Licence of this list: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), as the
# wordfreq data it is derived from. Used by the safety engine's typo corrector: a word of this list is
# an ordinary word, never a typo of a symptom word ("stairs" is no "stars", "dying" no "doing").
"""


def main() -> None:
    words = sorted({w for w in wordfreq.top_n_list("en", TOP) if re.fullmatch(r"[a-z]+", w)})
    OUT.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
