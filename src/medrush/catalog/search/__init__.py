"""Multilingual catalog search: an in-memory index over products, ingredients and symptoms.

Pure Python: jieba segments Chinese, pypinyin gives pinyin keys, Korean is matched by syllable
bigrams and jamo edit distance, English typos by trigram candidates and bounded edit distance.
"""

from medrush.catalog.search.index import SearchHit, SearchIndex
from medrush.catalog.search.vocab import Vocabulary

__all__ = ["SearchHit", "SearchIndex", "Vocabulary"]
