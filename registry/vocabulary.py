"""The register's vocabulary: how many registered companies' names hold each word
(NameWord), which the name check (registry.similarity) weighs words by. Counted by
migration 0016, then again every night (registry.tasks.refresh_name_vocabulary) and after a
bulk load."""

from __future__ import annotations

import collections

from django.db import connection, transaction

from .models import Company, NameWord


def register_word_counts(words: set[str]) -> dict[str, int]:
    """How many registered companies' names hold each of `words` as a whole word, as the
    vocabulary (NameWord) last counted them; 0 for a word it does not hold."""
    counts = dict.fromkeys(words, 0)
    counts.update(NameWord.objects.filter(word__in=words).values_list("word", "companies"))
    return counts


def refresh_vocabulary() -> int:
    """Count again how many registered names hold each word (NameWord), in one
    transaction: the check reads the old counts until the new ones are all there. The
    number of words."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One refresh at a time (a second would insert what the first did); the
                # check's reads are not blocked.
                cursor.execute("LOCK TABLE registry_nameword IN SHARE ROW EXCLUSIVE MODE")
        NameWord.objects.all().delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A word twice in a name counts once.
                cursor.execute(
                    "INSERT INTO registry_nameword (word, companies) "
                    "SELECT word, count(*) FROM registry_company, LATERAL (SELECT DISTINCT "
                    "unnest(string_to_array(normalized_name, ' ')) AS word) AS words "
                    "WHERE word <> '' GROUP BY word")
                # Its statistics now, not at autovacuum's next pass (if it runs at all):
                # without them the planner may read the whole table for a few words.
                cursor.execute("ANALYZE registry_nameword")
        else:
            counts = collections.Counter(
                word for name in Company.objects.values_list("normalized_name", flat=True)
                .iterator() for word in set(name.split()))
            NameWord.objects.bulk_create(
                (NameWord(word=word, companies=count) for word, count in counts.items()),
                batch_size=1000)
        return NameWord.objects.count()
