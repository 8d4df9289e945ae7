"""What a person typed, as a query both databases understand.

The language is PostgreSQL's web search syntax, parsed here once: words (all must match), "quoted phrases",
-excluded words and `or` between two terms. Synonyms (forum.search.synonyms) widen a run of words that is a
known phrase into "those words, or any equivalent phrase". The result renders as a PostgreSQL tsquery
(stemmed by its `english` configuration) or as an SQLite FTS5 MATCH expression (stemmed by the porter
tokenizer of the index), so word forms and synonyms behave alike on both.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery

from forum.search.models import phrase_key, phrase_words
from forum.search.synonyms import LONGEST_PHRASE

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# A quoted phrase, or a word; "-" excludes a word only at the start of a term ("covid-19" is two words).
TOKEN_RE = re.compile(r'"([^"]*)"?|((?<!\S)-)?([\w\'\u2019]+)')

# Words nearly every question contains: required on SQLite they would drop good matches (PostgreSQL's
# `english` configuration ignores its own list of them).
# fmt: off
STOP_WORDS = frozenset(
    (
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "aren", "as", "at",
        "be", "because", "been", "before", "being", "both", "but", "by", "can", "could", "couldn", "d", "did",
        "didn", "do", "does", "doesn", "doing", "don", "down", "each", "few", "for", "from", "had", "hadn",
        "has", "hasn", "have", "haven", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in",
        "into", "is", "isn", "it", "its", "just", "ll", "m", "me", "more", "most", "my", "myself", "no", "nor",
        "not", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "re", "s",
        "same", "she", "should", "shouldn", "so", "some", "such", "t", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "to", "too", "until", "up", "ve", "very", "was", "wasn",
        "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "won", "would",
        "wouldn", "you", "your",
    )
)
# fmt: on


@dataclass(frozen=True)
class Alternative:
    """One way a term can match: all `words` anywhere, or, as a phrase, next to each other in order."""

    words: tuple[str, ...]
    phrase: bool = False


@dataclass
class SearchTerms:
    """A query as clauses that must all match, each one of its alternatives; and phrases that must not."""

    clauses: list[list[Alternative]] = field(default_factory=list)
    excluded: list[Alternative] = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses)


def parse(text: str, synonyms: dict | None = None) -> SearchTerms:
    """`text` as SearchTerms, widened with `synonyms` ({phrase key: [equivalent keys]})."""
    terms = SearchTerms()
    pending_or = False
    for match in TOKEN_RE.finditer((text or "")[:MAX_QUERY_LENGTH]):
        quoted, minus, word = match.groups()
        if quoted is not None:
            words, phrase, negated = phrase_words(quoted), True, False
        else:
            if word.lower() == "or" and not minus:
                pending_or = bool(terms.clauses)
                continue
            words, phrase, negated = phrase_words(word), False, bool(minus)
        if not words:
            continue
        alternative = Alternative(words, phrase=phrase and len(words) > 1)
        if negated:
            terms.excluded.append(alternative)
        elif pending_or:
            terms.clauses[-1].append(alternative)
        else:
            terms.clauses.append([alternative])
        pending_or = False
    terms.clauses = terms.clauses[:MAX_TERMS]
    terms.excluded = terms.excluded[:MAX_TERMS]
    if synonyms:
        terms.clauses = _widened(terms.clauses, synonyms)
    return terms


def _key(words: tuple[str, ...]) -> tuple[str, ...]:
    return phrase_key(" ".join(words))


def _widened(clauses: list[list[Alternative]], synonyms: dict) -> list[list[Alternative]]:
    """Runs of plain words that form a known phrase (the longest first) become one clause: the words, or
    an equivalent phrase. A quoted phrase or an `or` term that is a known phrase gains its equivalents."""
    out: list[list[Alternative]] = []
    i = 0
    while i < len(clauses):
        run_end = i
        while (
            run_end < len(clauses)
            and run_end - i < LONGEST_PHRASE
            and len(clauses[run_end]) == 1
            and not clauses[run_end][0].phrase
            and len(clauses[run_end][0].words) == 1
        ):
            run_end += 1
        for end in range(run_end, i + 1, -1):  # runs of two words or more, longest first
            words = tuple(clauses[k][0].words[0] for k in range(i, end))
            equivalents = synonyms.get(_key(words))
            if equivalents:
                out.append([Alternative(words), *(Alternative(e, phrase=len(e) > 1) for e in equivalents)])
                i = end
                break
        else:
            clause = list(clauses[i])
            for alternative in clauses[i]:
                for equivalent in synonyms.get(_key(alternative.words), []):
                    widened = Alternative(equivalent, phrase=len(equivalent) > 1)
                    if widened not in clause:
                        clause.append(widened)
            out.append(clause)
            i += 1
    return out


# --- PostgreSQL ------------------------------------------------------------------------------------------------


def _pg(alternative: Alternative) -> SearchQuery:
    return SearchQuery(
        " ".join(alternative.words), config="english", search_type="phrase" if alternative.phrase else "plain"
    )


def _any_of(alternatives: list[Alternative]) -> SearchQuery:
    combined = _pg(alternatives[0])
    for alternative in alternatives[1:]:
        combined = combined | _pg(alternative)
    return combined


def to_postgres(terms: SearchTerms) -> SearchQuery:
    """A tsquery for the `english` configuration (stemmed, stop words dropped by PostgreSQL)."""
    query = _any_of(terms.clauses[0])
    for clause in terms.clauses[1:]:
        query = query & _any_of(clause)
    for alternative in terms.excluded:
        query = query & ~_pg(alternative)
    return query


# --- SQLite FTS5 -----------------------------------------------------------------------------------------------


def _fts_string(words) -> str:
    # A double-quoted FTS5 string is tokenized like the index (porter: stemmed); words hold no quotes.
    return '"' + " ".join(words) + '"'


def _is_stop_word(word: str) -> bool:
    # "can't" is two tokens to FTS5 ("can", "t"), both stop words, as PostgreSQL's parser sees it too.
    return all(part in STOP_WORDS for part in re.split(r"['\u2019]", word) if part)


def _fts(alternative: Alternative) -> str:
    if alternative.phrase:
        return _fts_string(alternative.words)
    words = [w for w in alternative.words if not _is_stop_word(w)] or list(alternative.words)
    return "(" + " AND ".join(_fts_string([w]) for w in words) + ")"


def to_fts5(terms: SearchTerms) -> str:
    """An FTS5 MATCH expression for the porter-tokenized index."""
    clauses = []
    for clause in terms.clauses:
        plain_stop = [a for a in clause if not a.phrase and all(_is_stop_word(w) for w in a.words)]
        if len(plain_stop) == len(clause) and len(terms.clauses) > 1:
            continue  # "how", "to": required, they would drop good matches; alone, they are the query
        clauses.append("(" + " OR ".join(_fts(a) for a in clause) + ")")
    if not clauses:
        clauses = ["(" + " OR ".join(_fts(a) for a in terms.clauses[0]) + ")"]
    expression = " AND ".join(clauses)
    if terms.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(_fts(a) for a in terms.excluded) + ")"
    return expression
