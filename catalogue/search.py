"""Catalogue search over the folded Product.search_text, the same on SQLite and PostgreSQL.

One public function, search_products(). Queries are folded like the column (core.text:
no diacritics, đ→d, lower case), so "thach den trang dinh" finds "Thạch đen Tràng Định".

Words. The folded text is [0-9a-z] words between single spaces, and both databases index
exactly those words (catalogue.search_index): SQLite in the FTS5 table
catalogue_product_words, PostgreSQL in a GIN index on to_tsvector('simple', …) of the text
with a letter before each word, whose lexemes are then exactly those words (tested). A query
is a list of conditions, one per query word, each a set of alternative terms; a term matches
a document word either as its beginning ("thach"* / 'wthach':*) or as the whole word ("den" /
'wden'). Both databases answer such a query from their index and match the same rows.

The vocabulary: every word of products_product.search_text with its number of occurrences
(SQLite: the fts5vocab table; PostgreSQL: the words of the column, counted). It is read
once per public content generation (core.content: a number that changes on every write of
public data) and kept in the Django cache and in the process. A write that bypasses the
services and bulk writers (raw SQL, a bare queryset.update()) leaves it stale until the next
bump: corrections miss the new words, and a word such a write alone extended ("den" when
"denx" appears) is still looked up whole.

1. Exact-token path: every query word must be the beginning of a word of the document.
   A query word that is a vocabulary word and the beginning of no other is looked up as a
   whole word: the same rows, and PostgreSQL's GIN index answers that several times faster.
2. Typo-tolerant path: a query word of MIN_TYPO_WORD letters or more that is neither a
   vocabulary word nor the beginning of one (no product can match it as typed) also accepts
   the vocabulary words one edit away (insert, delete, substitute, swap two neighbours:
   one_edit_apart) as whole words, and from MIN_TYPO_WORD + 1 letters the words beginning
   with a substitution or a swap of it (a typo in a word still being typed: "tahc" for
   "thach"). Corrections are found in Python against the vocabulary, then the database
   answers the corrected query as in 1. Words that are known are never corrected.

Ranking is computed in SQL from portable string comparisons only (phrase at the start,
whole words, …), never from bm25 or ts_rank, which differ between the databases:
- exact matches by where the query phrase occurs (ranks 0-4);
- typo matches (only when a word was unknown: then no row matches it as typed) by where the
  corrected phrase occurs, TYPO_RANK_START + 0-4: each unknown word replaced by its first
  correction, the ones keeping every typed letter first ("qay" → "quay" before "tay"),
  then the most frequent word.
Ties are broken by the name's length (an exact name match is the shortest name that
matches), then by the folded text compared byte by byte, then by id.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import operator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Length

from catalogue.search_index import POSTGRES_WORD_MARK, POSTGRES_WORDS, VOCABULARY_TABLE, WORDS_TABLE
from core.content import public_content_generation
from core.text import fold_words
from products.models import Product

MIN_TYPO_WORD = 3  # shorter words must match exactly: one edit away from "na" is half the catalogue
MAX_QUERY_WORDS = 8
MAX_CORRECTIONS = 24  # per unknown word, the likeliest first
TYPO_RANK_START = 100  # typo matches rank after every exact match
INDEX_SPREAD = 4  # see _matching
SCAN_SHARE = 1.0  # occurrences per product: see _matching
VOCABULARY_CACHE_KEY = "catalogue:search-vocabulary:2:{database}:{generation}"  # 2: (products, occurrences)
VOCABULARY_CACHE_SECONDS = 24 * 3600
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"  # what folded words are made of


def query_words(query: str | None) -> list[str]:
    return fold_words((query or "")[:200]).split()[:MAX_QUERY_WORDS]


def search_products(query: str | None, queryset: QuerySet[Product] | None = None) -> QuerySet[Product]:
    """The products of queryset that match query, best first, annotated with search_rank.

    An empty query returns queryset unchanged. The result is a plain queryset: callers may
    count it, paginate it or re-order it (by name, stars…) without losing the matches."""
    queryset = Product.objects.all() if queryset is None else queryset
    words = query_words(query)
    if not words:
        return queryset
    vocabulary = load_vocabulary()
    typo = corrections(words, vocabulary)
    if typo is None:
        terms = [[vocabulary.term(word)] for word in words]
        return _ranked(queryset.filter(_matching(terms, vocabulary)), " ".join(words), 0)
    alternatives, corrected_phrase = typo
    return _ranked(queryset.filter(_matching(alternatives, vocabulary)), corrected_phrase, TYPO_RANK_START)


def folded_order():
    """The folded text in byte order. Database collations differ (PostgreSQL's en_US ignores
    spaces at first level, SQLite compares bytes): naming the binary collation makes
    "sort by name" and every tie-break identical on both."""
    return Collate("search_text", "C" if connection.vendor == "postgresql" else "BINARY")


# -- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool  # True: the document words that begin with it; False: this whole word only


class _WordsMatch(Func):
    """PostgreSQL: the row's words match the tsquery, answered by the GIN index on this very
    expression (catalogue.search_index.POSTGRES_WORDS: each word marked with a letter)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__("search_text")
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{POSTGRES_WORDS.format(column=column)} @@ %s::tsquery", (*params, self.tsquery)


def _matching(conditions: list[list[Term]], vocabulary: Vocabulary) -> Q:
    """Rows where every condition has a term that matches a document word. Same rows
    whichever way a condition is checked; the way is chosen from the vocabulary's counts:

    - the index answers the selective conditions;
    - a condition matching INDEX_SPREAD times more words than the most selective one (the
      "la" of "ruou men la": every "lang", "lam"…) is checked with LIKE on the rows the
      others found, cheaper than merging its index entries;
    - when even the most selective one matches about every product ("h", "xa"), LIKE alone
      over the whole table: the index would only add work, and PostgreSQL may then plan a
      sequential scan that computes to_tsvector for every row (seconds at 200,000)."""
    counts = [sum(vocabulary.count(t) for t in terms) for terms in conditions]
    if min(counts) >= vocabulary.products * SCAN_SHARE:
        return functools.reduce(operator.and_, (_like_match(terms) for terms in conditions))
    limit = max(min(counts), 1) * INDEX_SPREAD
    condition = _index_match([terms for terms, n in zip(conditions, counts, strict=True) if n <= limit])
    for terms, n in zip(conditions, counts, strict=True):
        if n > limit:
            condition &= _like_match(terms)
    return condition


def _index_match(conditions: list[list[Term]]) -> Q:
    """Words are [0-9a-z]+: nothing to quote or escape in either query language."""
    if connection.vendor == "sqlite":
        match = " AND ".join(
            "(" + " OR ".join(f'"{t.word}"' + ("*" if t.prefix else "") for t in terms) + ")"
            for terms in conditions
        )
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s", (match,)))
    if connection.vendor == "postgresql":
        mark = POSTGRES_WORD_MARK
        tsquery = " & ".join(
            "(" + " | ".join(f"'{mark}{t.word}'" + (":*" if t.prefix else "") for t in terms) + ")"
            for terms in conditions
        )
        return Q(_WordsMatch(tsquery))
    condition = Q()  # any other database: the same definition of a word, with LIKE
    for terms in conditions:
        condition &= _like_match(terms)
    return condition


class _HasTerm(Func):
    """One of the terms matches a word of the row, by LIKE on the text between two spaces:
    "% den %" (the whole word) or "% den%" (a word beginning with it). The padded text is
    also what keeps PostgreSQL from answering these LIKEs from the trigram index, which
    costs far more than checking the rows the word index found."""

    output_field = BooleanField()

    def __init__(self, terms: list[Term]):
        super().__init__("search_text")
        self.terms = terms

    def as_sql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        padded = f"(' ' || {text} || ' ')"
        sql = " OR ".join(f"{padded} LIKE %s" for _ in self.terms)
        patterns = [f"% {t.word}%" if t.prefix else f"% {t.word} %" for t in self.terms]
        return f"({sql})", tuple(itertools.chain.from_iterable((*params, p) for p in patterns))


def _like_match(terms: list[Term]) -> Q:
    return Q(_HasTerm(terms))


# -- ranking -------------------------------------------------------------------------------


def _ranked(matches: QuerySet[Product], phrase: str, start: int) -> QuerySet[Product]:
    return matches.annotate(search_rank=_PhraseRank(phrase, start)).order_by(
        "search_rank", Length("name"), folded_order(), "pk"
    )


class _PhraseRank(Func):
    """start + 0 to 4: where the phrase occurs in the document (every row has each of its
    words, the last one possibly as a beginning): 0 at the start as whole words (the name
    begins with it), 1 at the start, 2 elsewhere as whole words, 3 elsewhere, 4 not as a
    phrase. The phrase is [0-9a-z] words and spaces: nothing to escape in LIKE patterns.
    One expression rather than Case/When of lookups: built and compiled several times
    faster, and the same SQL on both databases."""

    output_field = IntegerField()

    def __init__(self, phrase: str, start: int):
        super().__init__("search_text")
        self.phrase, self.start = phrase, start

    def as_sql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        p, r = self.phrase, self.start
        sql = (
            f"CASE WHEN {text} = %s OR {text} LIKE %s THEN {r} WHEN {text} LIKE %s THEN {r + 1} "
            f"WHEN {text} LIKE %s OR {text} LIKE %s THEN {r + 2} WHEN {text} LIKE %s THEN {r + 3} "
            f"ELSE {r + 4} END"
        )
        # One value after each occurrence of the column, whose own params (none for a plain
        # column) come first.
        values = (p, f"{p} %", f"{p}%", f"% {p} %", f"% {p}", f"% {p}%")
        return sql, tuple(itertools.chain.from_iterable((*params, value) for value in values))


# -- typo tolerance ------------------------------------------------------------------------


class Vocabulary:
    """Every word of products_product.search_text with its number of occurrences."""

    def __init__(self, products: int, occurrences: dict[str, int]):
        self.products = products
        self.occurrences = occurrences
        self.words = sorted(occurrences)
        self.running_total = list(itertools.accumulate((occurrences[w] for w in self.words), initial=0))

    def is_known(self, word: str) -> bool:
        """A word of the vocabulary or the beginning of one: some product matches it as typed."""
        i = bisect.bisect_left(self.words, word)
        return i < len(self.words) and self.words[i].startswith(word)

    def is_extended(self, prefix: str) -> bool:
        """Some longer word begins with prefix."""
        i = bisect.bisect_right(self.words, prefix)
        return i < len(self.words) and self.words[i].startswith(prefix)

    def term(self, word: str) -> Term:
        """word as the beginning of a word; as a whole word when no longer word begins with it."""
        return Term(word, prefix=not (word in self.occurrences and not self.is_extended(word)))

    def count(self, term: Term) -> int:
        """Occurrences of the document words the term matches."""
        if not term.prefix:
            return self.occurrences.get(term.word, 0)
        start = bisect.bisect_left(self.words, term.word)
        end = bisect.bisect_left(self.words, term.word + "~")  # "~" sorts after letters and digits
        return self.running_total[end] - self.running_total[start]


def corrections(words: list[str], vocabulary: Vocabulary) -> tuple[list[list[Term]], str] | None:
    """The conditions of the typo-tolerant query and the corrected phrase that ranks its rows;
    None when no word is both unknown and correctable (the exact path is all there is)."""
    conditions, phrase, corrected = [], [], False
    for word in words:
        if vocabulary.is_known(word):
            conditions.append([vocabulary.term(word)])
            phrase.append(word)
            continue
        found = _corrections(word, vocabulary)
        corrected = corrected or bool(found)
        # The word as typed stays: harmless (it matches no product) and so the rows that have
        # it still match if the vocabulary is stale.
        conditions.append([Term(word, prefix=True), *found])
        phrase.append(found[0].word if found else word)
    return (conditions, " ".join(phrase)) if corrected else None


def _corrections(word: str, vocabulary: Vocabulary) -> list[Term]:
    """The vocabulary words one edit away from word (whole words), and from MIN_TYPO_WORD + 1
    letters the words beginning with a substitution or a swap of it (prefixes), likeliest
    first: those keeping every typed letter, then the most frequent."""
    if len(word) < MIN_TYPO_WORD:
        return []
    found = {edit: Term(edit, prefix=False) for edit in _edits(word) if edit in vocabulary.occurrences}
    if len(word) > MIN_TYPO_WORD:
        for edit in _same_length_edits(word):
            if vocabulary.is_extended(edit):
                found[edit] = Term(edit, prefix=True)
    ranked = sorted(
        found.values(), key=lambda t: (_edit_kind(word, t.word), -vocabulary.count(t), t.prefix, t.word)
    )
    return ranked[:MAX_CORRECTIONS]


def _edit_kind(typed: str, correction: str) -> int:
    """0 two neighbours swapped, 1 a letter missing, 2 a letter too many, 3 a wrong letter."""
    if len(correction) != len(typed):
        return 1 if len(correction) > len(typed) else 2
    return 0 if sorted(correction) == sorted(typed) else 3


def _edits(word: str) -> set[str]:
    """Every string one_edit_apart from word (over LETTERS)."""
    edits = {word[:i] + word[i + 1 :] for i in range(len(word))}
    edits |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in LETTERS}
    edits |= _same_length_edits(word)
    edits.discard(word)
    return edits


def _same_length_edits(word: str) -> set[str]:
    """Every string one substitution or one swap of neighbours away from word."""
    edits = {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in LETTERS}
    edits |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    edits.discard(word)
    return edits


_memo: tuple[tuple, Vocabulary] | None = None


def load_vocabulary() -> Vocabulary:
    """The vocabulary of the current public content generation: from this process's memory,
    else from the Django cache, else from the database."""
    global _memo
    generation = public_content_generation()
    database = _database_key()
    key = (database, generation)
    if _memo is not None and _memo[0] == key:
        return _memo[1]
    cache_key = VOCABULARY_CACHE_KEY.format(database=database, generation=generation)
    stored = cache.get(cache_key)
    if stored is None:
        stored = read_vocabulary()
        cache.set(cache_key, stored, VOCABULARY_CACHE_SECONDS)
    vocabulary = Vocabulary(*stored)
    _memo = (key, vocabulary)
    return vocabulary


def _database_key() -> str:
    """Which database: the cache (and the generation) may be shared by several, in
    development and benchmarks."""
    settings = connection.settings_dict
    where = repr((connection.vendor, settings["NAME"], settings.get("HOST"), settings.get("PORT")))
    return hashlib.sha256(where.encode()).hexdigest()[:16]


def read_vocabulary() -> tuple[int, dict[str, int]]:
    """(number of products, {word: occurrences}) straight from the database: a full read of
    the index or of the column, about a second at 200,000 products, hence the cache."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM products_product")
        products = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT term, cnt FROM {VOCABULARY_TABLE}")
            return products, dict(cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT word, count(*) FROM products_product, "
                "unnest(string_to_array(search_text, ' ')) AS word WHERE word <> '' GROUP BY word"
            )
            return products, dict(cursor.fetchall())
        cursor.execute("SELECT search_text FROM products_product")
        occurrences: dict[str, int] = {}
        for (text,) in cursor.fetchall():
            for word in text.split():
                occurrences[word] = occurrences.get(word, 0) + 1
        return products, occurrences


def one_edit_apart(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or swap
    of two neighbouring letters (optimal string alignment distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):  # one letter inserted in b at i
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:  # substitution at i
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]


# -- suggestions when nothing matches ------------------------------------------------------

MAX_SUGGESTION_EDITS = 2
SUGGESTIONS = 3


def suggest_queries(query: str | None, limit: int = SUGGESTIONS) -> list[str]:
    """Queries close to one that found nothing, from the search vocabulary, likeliest first:
    each word no product has replaced by the closest vocabulary words (up to two edits away,
    where the typo-tolerant search stops at one: "thahc denn" → "thach den"); when every word
    is known but no product has them all, the words alone, the most frequent first. Folded
    text, as the search column holds it; not checked against the catalogue's filters (the
    caller does)."""
    words = query_words(query)
    if not words:
        return []
    vocabulary = load_vocabulary()
    closest = []
    for word in words:
        if vocabulary.is_known(word):
            closest.append([word])
            continue
        candidates = _close_words(word, vocabulary)
        if candidates:
            closest.append(candidates)
    if not closest:
        return []
    phrases: list[str] = []
    if any(len(options) > 1 or options[0] not in words for options in closest):
        # The best phrase, then the next candidates of each word in turn.
        best = [options[0] for options in closest]
        phrases.append(" ".join(best))
        for i, options in enumerate(closest):
            for option in options[1:]:
                phrases.append(" ".join([*best[:i], option, *best[i + 1 :]]))
    if len(closest) > 1:
        known = sorted(
            {options[0] for options in closest}, key=lambda w: -vocabulary.count(vocabulary.term(w))
        )
        phrases += known
    unique = list(dict.fromkeys(p for p in phrases if p != " ".join(words)))
    return unique[:limit]


def _close_words(word: str, vocabulary: Vocabulary) -> list[str]:
    """The vocabulary words at most MAX_SUGGESTION_EDITS edits from word (optimal string
    alignment), the fewest edits first, then the most frequent."""
    found = []
    # A word typed with a wrong first letter is rare; reading only the words that begin with the
    # first or second letter typed keeps this to a few milliseconds on a large vocabulary.
    starts = {word[:1], word[1:2]}
    for candidate in vocabulary.words:
        if candidate[:1] not in starts or abs(len(candidate) - len(word)) > MAX_SUGGESTION_EDITS:
            continue
        distance = edit_distance(word, candidate, MAX_SUGGESTION_EDITS)
        if distance <= MAX_SUGGESTION_EDITS:
            found.append((distance, -vocabulary.occurrences[candidate], candidate))
    return [candidate for *_, candidate in sorted(found)[:SUGGESTIONS]]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance between a and b (insert, delete, substitute, swap two
    neighbours), or limit + 1 as soon as it must exceed limit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]
