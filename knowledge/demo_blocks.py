"""Small builders for the demo's StreamField bodies (knowledge.blocks), so the demo texts read as
text. Each returns a (block name, value) pair; a StreamField takes a list of them."""


def text(html: str) -> tuple:
    return ("text", html)


def steps(*items: tuple[str, str]) -> tuple:
    """A guide's numbered steps: (title, rich-text HTML) pairs, without photos."""
    return ("steps", [{"title": title, "text": html, "image": None} for title, html in items])


def checklist(heading: str, *items: str) -> tuple:
    return ("checklist", {"heading": heading, "items": list(items)})


def tip(html: str) -> tuple:
    return ("callout", {"tone": "tip", "text": html})


def warning(html: str) -> tuple:
    return ("callout", {"tone": "warning", "text": html})


def note(html: str) -> tuple:
    return ("callout", {"tone": "note", "text": html})


def download(document_key: str, label: str) -> tuple:
    """A download of one of the demo's generated documents (knowledge.demo.DOCUMENTS), looked up
    by key when the page is made."""
    return ("download", {"document": document_key, "label": label})
