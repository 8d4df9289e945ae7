"""Published questions like a title being typed, found by the site's own search (forum.search.selectors).

A title is a sentence, not a query: requiring every word would find nothing for most new titles, so its
content words are joined with `or` and the best matches come first (relevance ranks a question matching more
of the words, and in its title, higher). Only approved questions are ever searched (the search reads nothing
else), and only what a public list shows is returned: title, link, answer count, whether an expert answered;
never the asker.
"""

import hashlib
import re
from dataclasses import dataclass

from community import page_cache
from forum.search import selectors as search
from forum.search.query import MAX_TERMS, STOP_WORDS

MAX_SIMILAR = 5
MIN_TITLE_LENGTH = 12  # shorter, a title says too little to compare (and every keystroke would search)
WORD_RE = re.compile(r"[\w\u2019']+")


@dataclass(frozen=True)
class Similar:
    title: str
    url: str
    answer_count: int
    expert_answered: bool


def content_words(title: str) -> list[str]:
    """The title's words that say something (no stop words, no repeats), at most MAX_TERMS of them."""
    words: list[str] = []
    for word in WORD_RE.findall((title or "").lower()):
        word = word.strip("'\u2019")
        if len(word) > 1 and word not in STOP_WORDS and word != "or" and word not in words:
            words.append(word)
    return words[:MAX_TERMS]


def similar_questions(title: str) -> list[Similar]:
    """Up to MAX_SIMILAR published questions like `title`, best match first; none for a short title. Kept in
    the cache under the lists' version (community.page_cache): any public change shows at once."""
    title = " ".join((title or "").split())
    words = content_words(title)
    if len(title) < MIN_TITLE_LENGTH or not words:
        return []
    query = " or ".join(words)
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]  # typed text is never a cache key as such

    def compute():
        results = search.search(text=query, sort=search.RELEVANCE, page_size=MAX_SIMILAR)
        return [
            Similar(q.title, q.get_absolute_url(), q.answer_count, q.expert_answer_count > 0)
            for q in results.items[:MAX_SIMILAR]
        ]

    return page_cache.remember(f"similar:{digest}", [page_cache.LISTS], compute)
