def list_template(request, name: str) -> str:
    """The `results` partial for htmx filter updates, the whole page otherwise (including when
    htmx restores history it has no copy of). List views also vary on HX-Request for caches."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{name}#results"
    return name
