"""Text helpers shared by every app's search."""


def search_normalise(text: str) -> str:
    """Lower-cased, with ё read as е, as Russian readers type it either way."""
    return text.casefold().replace("ё", "е")
