"""Where each vendor is reached on this sandbox: its base path, the root URL a client dials for a
listening address, and the `servers` a served spec names (this sandbox first)."""
from __future__ import annotations

import ipaddress

_LOOPBACK = ("http://127.0.0.1", "http://localhost")


def vendor_base_path(document: dict, name: str) -> str:
    """The sandbox base URL's path: the spec's sandbox server, e.g. /deskwoot/api/v1."""
    for server in document.get("servers", []):
        url = server.get("url", "")
        if url.startswith(_LOOPBACK):
            return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else f"/{name}"
    return f"/{name}"


def client_base_path(document: dict, name: str) -> str:
    """The base URL's path a client is given (the credentials document, the start-up lines):
    the sandbox base path, plus the spec's `x-sandbox-api-base` where the vendor's documented
    base URL lies below the host its paths are relative to (`/api/v1` when the paths are
    written `/api/v1/...`, as the vendor's own client requests them)."""
    return vendor_base_path(document, name) + str(document.get("x-sandbox-api-base") or "")


def root_url(host: str, port: int) -> str:
    """The URL a client on this machine dials for a server listening on host:port: a wildcard
    address (every interface) is reached through loopback."""
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    return f"http://[{address}]:{port}" if address.version == 6 else f"http://{address}:{port}"


def served_servers(document: dict, name: str, url_root: str, host_vendor: str | None,
                   root_vendor: str | None) -> list[dict]:
    """The spec's `servers` as this sandbox serves them: first the base URL on the host and
    prefix the request came through (`url_root`; `host_vendor` when that host is a vendor's
    own, `<vendor>.localhost`): the root when the vendor is served alone, else its prefix;
    then the vendor's real servers. The spec's own loopback entry names the default port, so it
    is left out."""
    base = vendor_base_path(document, name)
    root = url_root.rstrip("/")
    at_root = base[len(f"/{name}"):] if base.startswith(f"/{name}") else base
    if host_vendor == name:  # <vendor>.localhost: the vendor's own root paths
        servers = [{"url": root + at_root, "description": "this sandbox (the vendor's host)"}]
    elif root_vendor == name:  # served alone: its base URL is the root (also under its prefix)
        servers = [{"url": root + at_root, "description": "this sandbox, at the root"},
                   {"url": root + base, "description": "this sandbox"}]
    else:
        servers = [{"url": root + base, "description": "this sandbox"}]
    return servers + [s for s in document.get("servers", [])
                      if not str(s.get("url", "")).startswith(_LOOPBACK)]
