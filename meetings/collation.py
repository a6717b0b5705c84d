"""Names sorted and searched the way a reader expects, on SQLite and PostgreSQL alike.

- `sort_key(name)`: Côte d'Ivoire sorts with the Cs, before Czechia, not after Zimbabwe (a
  byte-wise sort puts "ô" after "z"). Accents and case count only to break ties.
- `folded(text)`: the text without accents, in one case, for matching: "cote" finds
  "Côte d'Ivoire", "SAO TOME" finds "Sao Tome and Principe".
"""

import unicodedata


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(name: str) -> tuple[str, str]:
    return (folded(name), name or "")


def sorted_by_name(rows, name=lambda row: str(row)) -> list:
    """`rows` sorted by `sort_key` of `name(row)`."""
    return sorted(rows, key=lambda row: sort_key(name(row)))
