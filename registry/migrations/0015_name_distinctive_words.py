"""The distinctive words of a company name, indexed for the name check
(registry.similarity), on PostgreSQL only, hand-written.

The name check compares names on their distinctive words: without the common words
(« Groupe », « Services », « Togo ») and the activity words (« Transports », « Boulangerie »)
that many names share; a name without any is compared on its words but the common ones
(« transports »), a name of common words only on the whole name. Searched on the whole names, the trigram index of migration 0002 returned, for a name
with common words, the thousands of names sharing them, and made them look close.

The SQL function registry_name_distinctive is registry.similarity.stored_distinctive (the
listed words as written; the check forgives their typos in Python, on the candidates). Its
lists are COMMON_WORDS and ACTIVITY_WORDS as they were when this migration was written:
change them in both places (a test compares them) and add a migration that replaces the
function and rebuilds the indexes.

Indexed, for the register and for the pending filings (the states of migration 0010):
- the distinctive words by their trigrams (GIN, gin_trgm_ops), for the trigram search;
- the deletion keys of short distinctive words (migration 0014's function and lengths), for
  a short one with a typo.
The indexes are on expressions: nothing to add to the models or to fill in, PostgreSQL
computes them for the rows there are and for each new one. Built CONCURRENTLY (hence a
non-atomic migration), as 0012's and 0014's; reversing drops the indexes and the function.
"""

from django.db import migrations

FUNCTION = "registry_name_distinctive"
COMMON_WORDS = [
    "africa", "africaine", "african", "afrik", "afrique", "associes", "business", "cie",
    "compagnie", "company", "corporation", "fils", "freres", "general", "generale", "global",
    "globale", "group", "groupe", "groupes", "holding", "international", "internationale",
    "partenaires", "plus", "service", "services", "soeurs", "solution", "solutions", "togo",
    "togolais", "togolaise", "trading"
]
ACTIVITY_WORDS = [
    "agricole", "agriculture", "agro", "agrobusiness", "alimentation", "anacarde",
    "architecture", "assainissement", "auto", "automobile", "batiment", "beaute", "bijouterie",
    "bois", "boissons", "boulangerie", "btp", "bureautique", "cacao", "cafe", "carrieres",
    "chaussures", "ciment", "climatisation", "clinique", "coiffure", "commerce", "commercial",
    "communication", "conseil", "conseils", "consignation", "construction", "constructions",
    "consulting", "cosmetiques", "coton", "couture", "distribution", "eaux", "electricite",
    "elevage", "energie", "etudes", "evenementiel", "export", "fer", "forage", "formation",
    "fournitures", "froid", "garage", "gardiennage", "glaces", "horlogerie", "hotel",
    "hotellerie", "huilerie", "hydraulique", "immobilier", "immobiliere", "import",
    "imprimerie", "industrie", "industries", "informatique", "ingenierie", "karite",
    "librairie", "location", "logistique", "maquis", "maraichage", "materiaux", "mecanique",
    "media", "medias", "menuiserie", "meunerie", "mines", "mode", "motos", "multimedia",
    "musique", "negoce", "nettoyage", "numerique", "optique", "pagnes", "papeterie",
    "patisserie", "peche", "pharmacopee", "photo", "pieces", "pisciculture", "plomberie",
    "porcherie", "quincaillerie", "restaurant", "restauration", "rizerie", "sante", "securite",
    "soja", "solaire", "taxi", "telecoms", "textile", "textiles", "topographie", "tourisme",
    "traiteur", "transit", "transitaire", "transport", "transports", "travaux", "video",
    "volailles", "voyage", "voyages"
]


def _array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{word}'" for word in words) + "]::text[]"


def _kept(unless: str) -> str:
    """The words of `name` not in the list, in order, joined by spaces ('' if none)."""
    return ("array_to_string(ARRAY(SELECT word FROM unnest(string_to_array(name, ' ')) "
            f"WITH ORDINALITY AS words(word, position) WHERE NOT word = ANY ({unless}) "
            "ORDER BY position), ' ')")


CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(nullif({_kept(_array(COMMON_WORDS + ACTIVITY_WORDS))}, ''),
                    nullif({_kept(_array(COMMON_WORDS))}, ''),
                    name)
$$
"""
SHORTEST, LONGEST = 3, 12  # registry.similarity.KEYED_LENGTHS, as in migration 0014
DISTINCTIVE = f"{FUNCTION}(normalized_name)"
KEYED = f"length({DISTINCTIVE}) BETWEEN {SHORTEST} AND {LONGEST}"
PENDING_STATES = "'pending_payment', 'in_review', 'correction_requested', 'approved'"
PENDING = f"state IN ({PENDING_STATES})"
INDEXES = {
    "registry_company_distinctive_trgm": (
        f"ON registry_company USING gin (({DISTINCTIVE}) gin_trgm_ops)"),
    "registry_application_pending_distinctive_trgm": (
        f"ON registry_application USING gin (({DISTINCTIVE}) gin_trgm_ops) WHERE {PENDING}"),
    "registry_company_distinctive_deletion_keys": (
        f"ON registry_company USING gin ((registry_name_deletion_keys({DISTINCTIVE}))) "
        f"WHERE {KEYED}"),
    "registry_application_pending_distinctive_deletion_keys": (
        f"ON registry_application USING gin ((registry_name_deletion_keys({DISTINCTIVE}))) "
        f"WHERE {PENDING} AND {KEYED}"),
}


def statement(index_name: str, *, concurrently: bool = True) -> str:
    """The index's CREATE statement (the name-check benchmark builds them with it too)."""
    how = "CONCURRENTLY " if concurrently else ""
    return f"CREATE INDEX {how}IF NOT EXISTS {index_name} {INDEXES[index_name]}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for index_name in INDEXES:
        schema_editor.execute(statement(index_name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index_name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index_name}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):

    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0014_name_deletion_keys"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
