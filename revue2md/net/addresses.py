"""Which addresses a request may connect to when only public hosts are allowed (image downloads).

A URL from a source's content must not make revue2md fetch from the machine it runs on or
its network (a router page, a cloud metadata service at 169.254.169.254). `PublicOnly`
resolves a host once, refuses it when any of its addresses is not public, and hands back
the checked addresses: the connection is then made to one of those, never to the name, so a
second DNS answer (rebinding) cannot lead it elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

from revue2md.errors import FetchError


class RefusedHost(FetchError):
    """The host of a URL is, or resolves to, an address that is not public."""


def address_kind(address: str) -> str | None:
    """Why `address` is not public ("loopback", "private", ...), or None when it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope (`fe80::1%eth0`) is not part of it
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
              ("multicast", ip.is_multicast), ("reserved", ip.is_reserved), ("private", ip.is_private),
              ("not globally routed", not ip.is_global))
    return next((kind for kind, holds in checks if holds), None)


def is_public(address: str) -> bool:
    return address_kind(address) is None


@dataclass(frozen=True)
class PublicOnly:
    """Connections only to public addresses. `is_public` and `resolve` are what tests may replace."""

    is_public: Callable[[str], bool] = is_public
    resolve: Callable[..., list] = socket.getaddrinfo

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of `host`, every one of them public; RefusedHost otherwise.

        A name that does not resolve raises `socket.gaierror`, as connecting to it would (the
        HTTP client retries it like any connection error).
        """
        name = host.strip("[]")
        try:
            found = self.resolve(name, port, type=socket.SOCK_STREAM)
        except UnicodeError as error:  # a label IDNA cannot encode
            raise socket.gaierror(socket.EAI_NONAME, f"{name}: {error}") from None
        addresses = list(dict.fromkeys(str(entry[4][0]) for entry in found))
        for address in addresses:
            if not self.is_public(address):
                kind = address_kind(address) or "not public by the rule in use"
                shown = name if name == address else f"{name} ({address})"
                raise RefusedHost(f"{shown} is not a public address ({kind}): not fetched "
                                  "(--allow-private-hosts allows hosts of the local network)")
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"{name}: no address")
        return addresses
