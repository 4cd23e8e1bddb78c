"""Make the French catalogue mirror the French source strings (msgstr = msgid).

The sources are written in French, so locale/fr holds each string as its own
translation; translators revise wording there without touching code. Run after
makemessages (make catalogues does both): msgmerge's fuzzy guesses would otherwise
put one sentence in place of another.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent / "fr" / "LC_MESSAGES" / "django.po"


def main() -> int:
    with open(CATALOGUE, "rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    catalog.locale = Locale.parse("fr")  # makemessages leaves the Language header empty
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        wanted = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            message.previous_id = []
            changed += 1
    with open(CATALOGUE, "wb") as handle:
        write_po(handle, catalog, width=79, omit_header=False, ignore_obsolete=True)
    print(f"{CATALOGUE}: {changed} entries set to their source")
    return 0


if __name__ == "__main__":
    sys.exit(main())
