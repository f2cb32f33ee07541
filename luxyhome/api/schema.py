"""OpenAPI generation hooks (drf-spectacular)."""


def contract_paths(endpoints):
    """Document paths as the contract writes them: routes accept an optional trailing slash,
    which drf-spectacular would otherwise print as a required one."""
    return [
        (path.rstrip("/") or path, path_regex, method, callback) for path, path_regex, method, callback in endpoints
    ]
