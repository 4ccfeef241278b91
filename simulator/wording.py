"""Counted nouns, as ttx says them everywhere (terminal, screens, reports): '1 decision', '2 decisions'."""


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 decision', '2 decisions', '3 responsibilities'; `many` for a plural that is not regular."""
    if many is None:
        consonant_y = noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u")
        many = noun[:-1] + "ies" if consonant_y else noun + "s"
    return f"{count} {noun if count == 1 else many}"
