"""Fetch one web page for import, refusing anything but a public HTML page of modest size.

The address is resolved here, every resolved address is checked, and the connection goes to
the checked address itself (never to the host name again), so a host that resolves to a
public address for the check and to an internal one for the connection (DNS rebinding)
cannot reach the reader's own network. Redirects are followed by hand and checked again at
every hop; one deadline covers every connection, handshake and read of a fetch.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

USER_AGENT = "Voices/0.1 (+reader)"
# The statuses whose Location is followed; every one is followed with a GET.
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Only these are article pages; a PDF or an image has nothing trafilatura can read.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Big enough to keep system calls few, small enough to stop soon after max_bytes.
CHUNK = 64 * 1024
# Characters left as they are in a request target: everything printable in ASCII but
# space, which is refused earlier; anything else (non-ASCII) is sent percent-encoded.
_TARGET_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))
DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# socket.getaddrinfo's shape: (host, port, type=...) -> [(family, type, proto, name, sockaddr)]
Resolver = Callable[..., Iterable[tuple[Any, ...]]]
# NAT64's well-known prefix (RFC 6052): the last 32 bits are an IPv4 address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchError(ValueError):
    """A page that cannot be imported, with a message the reader can act on."""


@dataclass(frozen=True)
class Fetched:
    """A fetched HTML page: its final address after redirects, its type and its bytes."""

    url: str
    content_type: str
    body: bytes
    charset: str | None


@dataclass(frozen=True)
class _Target:
    """One checked address to request: where to connect and what to send."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP address text, without brackets
    port: int
    host_header: str
    request_target: str


def is_public_address(ip: IPAddress) -> bool:
    """Return True if ip is an ordinary address on the public internet."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 address that carries an IPv4 one reaches that IPv4 address: judge it.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if ip.teredo is not None or ip.is_site_local:
            return False
    # is_global alone lets multicast through (224.0.0.1 counts as global), so check all.
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def fetch(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
    resolve: Resolver = socket.getaddrinfo,
    is_public: Callable[[IPAddress], bool] = is_public_address,
    ssl_context: ssl.SSLContext | None = None,
) -> Fetched:
    """Fetch the HTML page at url, following redirects, or raise FetchError saying why not.

    allow_private lets the fetch reach private, loopback and other non-public addresses
    (for trusted setups and tests); is_public is the address policy otherwise applied;
    resolve replaces socket.getaddrinfo; ssl_context replaces the system's default TLS
    context (certificates are always checked against the host name).
    """
    deadline = time.monotonic() + timeout
    current = url
    for hop in range(max_redirects + 1):
        target = _parse_url(current)
        addresses = _addresses(target, resolve, allow_private, is_public)
        location, fetched = _get(target, addresses, deadline, timeout, max_bytes, ssl_context)
        if fetched is not None:
            return fetched
        if hop == max_redirects:
            break
        current = urljoin(target.url, location)
    raise FetchError(f"too many redirects (more than {max_redirects})")


def _parse_url(url: str) -> _Target:
    """Check that url is a plain http(s) address and work out what to send for it."""
    url = url.strip()
    # Browsers read "\" as "/", urlsplit does not: refuse rather than guess which host.
    if any(c.isspace() or ord(c) < 0x20 or c in "\\\x7f" for c in url):
        raise FetchError("the address contains spaces or characters that are not allowed")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(f"{url!r} is not a valid address") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchError("only http and https addresses can be imported")
    if parts.username is not None or parts.password is not None:
        raise FetchError("addresses with a user name or password cannot be imported")
    if not parts.hostname:
        raise FetchError("the address has no host name")
    host = parts.hostname.rstrip(".")  # "example.com." is the same host, but not for SNI
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError(f"{parts.hostname!r} is not a valid host name") from None
    else:
        host = str(ip)
    if not host:
        raise FetchError("the address has no host name")
    port = port or DEFAULT_PORTS[scheme]
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port == DEFAULT_PORTS[scheme] else f"{shown}:{port}"
    path = quote(parts.path or "/", safe=_TARGET_SAFE)
    query = quote(parts.query, safe=_TARGET_SAFE)
    request_target = f"{path}?{query}" if query else path
    # The fragment is the browser's business: never sent, and dropped from the final URL.
    return _Target(
        url=f"{scheme}://{host_header}{request_target}",
        scheme=scheme,
        host=host,
        port=port,
        host_header=host_header,
        request_target=request_target,
    )


def _addresses(
    target: _Target, resolve: Resolver, allow_private: bool, is_public: Callable[[IPAddress], bool]
) -> list[tuple[int, tuple[Any, ...]]]:
    """Resolve the target's host once and return the (family, sockaddr) pairs to connect to."""
    infos: list[tuple[Any, ...]]
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        try:
            infos = list(resolve(target.host, target.port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError):
            raise FetchError(f"the host {target.host} could not be found") from None
    else:  # an address in the URL itself: nothing to look up
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        sockaddr = (target.host, target.port) + ((0, 0) if literal.version == 6 else ())
        infos = [(family, socket.SOCK_STREAM, 0, "", sockaddr)]
    addresses: list[tuple[int, tuple[Any, ...]]] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(sockaddr[0])
        # One internal address is enough to refuse: the connection might go to any of them.
        if not allow_private and not is_public(ip):
            where = "" if str(ip) == target.host else f" (where {target.host} points)"
            raise FetchError(f"the address {ip}{where} is not on the public internet")
        addresses.append((family, (sockaddr[0], target.port, *sockaddr[2:])))
    if not addresses:
        raise FetchError(f"the host {target.host} could not be found")
    return addresses


def _get(
    target: _Target,
    addresses: list[tuple[int, tuple[Any, ...]]],
    deadline: float,
    timeout: float,
    max_bytes: int,
    context: ssl.SSLContext | None,
) -> tuple[str, Fetched | None]:
    """Request target: return (Location, None) for a redirect, else ("", the page)."""
    sock: socket.socket | None = None
    response: http.client.HTTPResponse | None = None
    try:
        sock = _connect(target, addresses, deadline, context)
        conn = http.client.HTTPConnection(target.host, target.port)
        conn.sock = _DeadlineSocket(sock, deadline)  # type: ignore[assignment]
        conn.putrequest("GET", target.request_target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", target.host_header)
        conn.putheader("User-Agent", USER_AGENT)
        conn.putheader("Accept", "text/html,application/xhtml+xml;q=0.9")
        # Uncompressed, so max_bytes is the size of the page itself (gzip is still read).
        conn.putheader("Accept-Encoding", "identity")
        conn.putheader("Connection", "close")
        conn.endheaders()
        response = conn.getresponse()
        return _handle(target, response, max_bytes)
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except ssl.SSLCertVerificationError as error:
        reason = error.verify_message or "certificate not valid"
        raise FetchError(f"the certificate of {target.host} is not valid ({reason})") from None
    except ssl.SSLError:
        raise FetchError(f"the secure connection to {target.host} failed") from None
    except ConnectionRefusedError:
        raise FetchError(f"{target.host_header} refused the connection") from None
    except http.client.IncompleteRead:
        raise FetchError(f"{target.host} closed the connection before the page ended") from None
    except http.client.HTTPException:
        raise FetchError(f"{target.host} did not answer in HTTP") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise FetchError(f"could not reach {target.host_header} ({reason})") from None
    finally:
        if response is not None:
            response.close()
        if sock is not None:
            sock.close()


def _connect(
    target: _Target,
    addresses: list[tuple[int, tuple[Any, ...]]],
    deadline: float,
    context: ssl.SSLContext | None,
) -> socket.socket:
    """Connect to the first checked address that answers, with TLS for https."""
    error: OSError = OSError("no address")
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(_remaining(deadline))
            sock.connect(sockaddr)
            if target.scheme == "https":
                # SNI and the certificate check use the host name; the socket is the IP's.
                context = context or ssl.create_default_context()
                return context.wrap_socket(sock, server_hostname=target.host)
            return sock
        except (TimeoutError, ssl.SSLError):
            sock.close()
            raise
        except OSError as failed:  # refused or unreachable: try the host's next address
            sock.close()
            error = failed
    raise error


def _handle(
    target: _Target, response: http.client.HTTPResponse, max_bytes: int
) -> tuple[str, Fetched | None]:
    """Turn a response into a redirect's Location, a page, or a FetchError."""
    status = response.status
    if status in REDIRECTS:
        location = response.getheader("Location")
        if not location:
            raise FetchError(f"the server answered {status} without saying where to go")
        # http.client reads headers as Latin-1; most servers send UTF-8.
        with contextlib.suppress(UnicodeError):
            location = location.encode("latin-1").decode("utf-8")
        return location, None
    if not 200 <= status < 300:
        raise FetchError(f"the server answered {status}")
    if response.getheader("Content-Type") is None:
        raise FetchError("the page is not HTML (it has no content type)")
    content_type = response.headers.get_content_type()
    if content_type not in HTML_TYPES:
        raise FetchError(f"the page is not HTML ({content_type})")
    body = _read_body(response, max_bytes)
    return "", Fetched(
        url=target.url,
        content_type=content_type,
        body=body,
        charset=response.headers.get_content_charset(),
    )


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """Read at most max_bytes of page (after gzip), or raise FetchError if there is more."""
    too_large = FetchError(f"the page is larger than {_size(max_bytes)}")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchError(f"the page is compressed as {encoding!r}, which cannot be read")
    # Refuse before reading when the server says how much is coming.
    if response.length is not None and response.length > max_bytes:
        raise too_large
    inflater = zlib.decompressobj(wbits=31) if encoding != "identity" else None
    parts: list[bytes] = []
    received = size = 0
    while chunk := response.read(CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise too_large
        if inflater is not None:
            # max_length stops a small gzip bomb from growing past the limit in memory.
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error:
                raise FetchError("the page's gzip compression is damaged") from None
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        parts.append(chunk)
    if inflater is not None and not inflater.eof:
        raise FetchError("the page's gzip compression is damaged")
    return b"".join(parts)


def _size(count: int) -> str:
    """Return a byte count as people say it: 5 MB, 200 kB, 900 bytes."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:g} MB"
    if count >= 1_000:
        return f"{count / 1_000:g} kB"
    return f"{count} bytes"


def _remaining(deadline: float) -> float:
    """Return the seconds left before deadline, raising TimeoutError once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side where every receive waits only until the shared deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        """Say that this stream can be read."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Receive into buffer, never waiting past the deadline."""
        # Per-call timeouts alone let a server that trickles a byte at a time go on forever.
        self._sock.settimeout(_remaining(self._deadline))
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """The little of a socket that http.client uses, with every call under one deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        """Send data, never waiting past the deadline."""
        self._sock.settimeout(_remaining(self._deadline))
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        """Return a buffered reader over the socket for http.client's response."""
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        """Leave the socket open: http.client closes it early, while the body is unread."""
