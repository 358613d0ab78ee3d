"""Catalogue search over the folded Product.search_text, the same on SQLite and PostgreSQL.

One public function, search_products(). Queries are folded like the column (core.text:
no diacritics, đ→d, lower case), so "thach den trang dinh" finds "Thạch đen Tràng Định".

1. Exact-token path: every query word must be the prefix of a word of the document.
   SQLite answers it from the FTS5 word table, PostgreSQL from LIKE lookups on the trigram
   GIN index; both define "word" the same way (the folded text is [0-9a-z] words between
   single spaces), so they match the same rows. The rank is computed in SQL from portable
   string comparisons only (phrase at the start, whole words, …), never from bm25 or
   similarity scores, which differ between the databases.
2. Typo-tolerant path, only when the exact path finds fewer than FEW_RESULTS rows.
   Candidates are rows sharing a trigram with the query (FTS5 trigram table on SQLite,
   GIN index on PostgreSQL), ordered by how many of the query's trigrams they contain,
   bounded to TYPO_CANDIDATES. Python then keeps the rows where every query word is at
   most one edit (insert, delete, substitute, swap two neighbours) from a document word,
   and orders them. The database only proposes; the decision and order are in Python, so
   both backends answer alike.

Ties are broken by the name's length (an exact name match is the shortest name that
matches), then by the folded text compared byte by byte, then by id.
"""

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Length

from catalogue.search_index import TRIGRAMS_TABLE, WORDS_TABLE
from core.text import fold_words
from products.models import Product

FEW_RESULTS = 3
TYPO_CANDIDATES = 300
MIN_TYPO_WORD = 3  # shorter words must match exactly: one edit away from "na" is half the catalogue
MAX_QUERY_WORDS = 8
MAX_QUERY_TRIGRAMS = 32
TYPO_RANK_START = 100  # typo matches come after every exact-token match


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
    exact = _all_words_as_prefixes(words)
    typo_ids: list[int] = []
    # At most FEW_RESULTS ids are read: a short word matching thousands of rows costs no count.
    if len(queryset.filter(exact).values_list("pk", flat=True)[:FEW_RESULTS]) < FEW_RESULTS:
        typo_ids = _typo_tolerant_ids(words, queryset)
    matches = queryset.filter(exact | Q(pk__in=typo_ids)) if typo_ids else queryset.filter(exact)
    return matches.annotate(search_rank=_rank(words, typo_ids)).order_by(
        "search_rank", Length("name"), folded_order(), "pk"
    )


def folded_order():
    """The folded text in byte order. Database collations differ (PostgreSQL's en_US ignores
    spaces at first level, SQLite compares bytes): naming the binary collation makes
    "sort by name" and every tie-break identical on both."""
    return Collate("search_text", "C" if connection.vendor == "postgresql" else "BINARY")


def _all_words_as_prefixes(words: list[str]) -> Q:
    if connection.vendor == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)  # words are [0-9a-z]+: nothing to escape
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s", (match,)))
    condition = Q()
    for word in words:
        condition &= Q(search_text__startswith=word) | Q(search_text__contains=" " + word)
    return condition


def _rank(words: list[str], typo_ids: list[int]) -> Case:
    phrase = " ".join(words)
    typo_ranks = [When(pk=pk, then=Value(TYPO_RANK_START + i)) for i, pk in enumerate(typo_ids)]
    return Case(
        *typo_ranks,
        # The query as whole words at the start: the name begins with it.
        When(Q(search_text=phrase) | Q(search_text__startswith=phrase + " "), then=Value(0)),
        When(search_text__startswith=phrase, then=Value(1)),
        When(Q(search_text__contains=f" {phrase} ") | Q(search_text__endswith=" " + phrase), then=Value(2)),
        When(search_text__contains=" " + phrase, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _trigrams(words: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for word in words:
        for i in range(len(word) - 2):
            found.setdefault(word[i : i + 3])
    return list(found)[:MAX_QUERY_TRIGRAMS]


def _typo_tolerant_ids(words: list[str], queryset: QuerySet[Product]) -> list[int]:
    trigrams = _trigrams(words)
    if not trigrams:
        return []
    if connection.vendor == "sqlite":
        match = " OR ".join(f'"{t}"' for t in trigrams)
        shares_a_trigram = Q(
            pk__in=RawSQL(f"SELECT rowid FROM {TRIGRAMS_TABLE} WHERE {TRIGRAMS_TABLE} MATCH %s", (match,))
        )
    else:
        shares_a_trigram = Q()
        for t in trigrams:
            shares_a_trigram |= Q(search_text__contains=t)
    trigrams_found = sum(
        (Case(When(search_text__contains=t, then=Value(1)), default=Value(0)) for t in trigrams), Value(0)
    )
    candidates = (
        queryset.filter(shares_a_trigram)
        .annotate(trigrams_found=trigrams_found)
        .order_by("-trigrams_found", "pk")
        .values_list("pk", "name", "search_text")[:TYPO_CANDIDATES]
    )
    scored = []
    for pk, name, search_text in candidates:
        score = _typo_score(words, search_text.split(), len(fold_words(name).split()))
        if score is not None:
            scored.append((-score, len(name), search_text.encode(), pk))
    return [pk for *_, pk in sorted(scored)]


def _typo_score(words: list[str], document: list[str], name_length: int) -> int | None:
    """None unless every query word is found (exactly, as a prefix, or one edit away) and at
    least one only with a typo (otherwise the exact path already has the row). Higher is better;
    words found in the product's name (the document's first words) count double."""
    total, typos = 0, 0
    for word in words:
        quality, position = _best_match(word, document)
        if quality == 0:
            return None
        typos += quality == 1
        total += quality * (2 if position < name_length else 1)
    return total if typos else None


def _best_match(word: str, document: list[str]) -> tuple[int, int]:
    """(3 equal, 2 prefix, 1 one edit away, 0 not found; index of the document word)."""
    best = (0, len(document))
    for position, candidate in enumerate(document):
        if candidate == word:
            return 3, position
        if candidate.startswith(word):
            quality = 2
        elif (
            len(word) >= MIN_TYPO_WORD
            and (
                one_edit_apart(word, candidate)
                # a typo in a word still being typed: "tahc" for "thach"
                or (len(word) >= MIN_TYPO_WORD + 1 and one_edit_apart(word, candidate[: len(word)]))
            )
        ):
            quality = 1
        else:
            continue
        if quality > best[0]:
            best = (quality, position)
    return best


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
