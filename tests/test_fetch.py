"""The guarded fetcher, against pages served on 127.0.0.1 and stubbed name lookups.

Nothing here reaches the network. Where a test needs "a public host", a stub resolver
names the local server and the address policy counts 127.0.0.1 (and only it) as public,
on top of the real policy, so every other address is judged exactly as in production.
"""

from __future__ import annotations

import gzip
import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from webapp.fetch import USER_AGENT, Fetched, FetchError, IPAddress, fetch, is_public_address

SERVER_IP = ipaddress.ip_address("127.0.0.1")
PAGE = b"<!doctype html><html><head><title>T</title></head><body><p>Hello.</p></body></html>"


def as_if_public(ip: IPAddress) -> bool:
    """Count the test server's address as public, and judge any other one as fetch does."""
    return ip == SERVER_IP or is_public_address(ip)


class Handler(BaseHTTPRequestHandler):
    """Record each request and answer it with the route the test registered."""

    server: PageServer

    def do_GET(self) -> None:
        """Answer from the server's routes, or 404."""
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(self.path)
        if route is None:
            self.reply(404, b"not here", "text/plain")
        else:
            route(self)

    def reply(
        self,
        status: int,
        body: bytes = PAGE,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send a whole response with its Content-Length."""
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def raw(self, data: bytes) -> None:
        """Send bytes as they are, for responses BaseHTTPRequestHandler would not make."""
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


class PageServer(ThreadingHTTPServer):
    """A local server whose handler threads are all joined when it closes."""

    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Callable[[Handler], None]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()  # set at teardown, to end handlers that wait

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        """Return the address of path on this server, under the given host name."""
        return f"{scheme}://{host}:{self.port}{path}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up: several tests make fetch do exactly that."""


def serve(server: PageServer) -> Iterator[PageServer]:
    """Run server in a thread until the test ends, then stop and close it."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def server() -> Iterator[PageServer]:
    """Return a running local page server."""
    yield from serve(PageServer())


class Resolver:
    """A stand-in for socket.getaddrinfo: each host name answers from its own list in turn."""

    def __init__(self, **answers: list[str] | str) -> None:
        self.answers = {
            host.replace("_", "."): [value] if isinstance(value, str) else value
            for host, value in answers.items()
        }
        self.calls: list[str] = []

    def __call__(self, host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        """Return the next answer for host: one address, or several separated by spaces."""
        self.calls.append(host)
        queue = self.answers.get(host)
        if not queue:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        infos: list[tuple[Any, ...]] = []
        for address in answer.split():
            if ":" in address:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return infos


def numeric_only(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
    """Resolve only numeric hosts ("127.1"), so a test can never send a DNS query."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)


def no_lookup(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
    """Fail the test if fetch looks a name up."""
    raise AssertionError(f"looked up {host}")


def redirect(location: str, status: int = 302) -> Callable[[Handler], None]:
    """Return a route that redirects to location."""
    return lambda handler: handler.reply(status, b"", None, {"Location": location})


def page(body: bytes = PAGE, content_type: str | None = "text/html; charset=utf-8") -> Any:
    """Return a route that serves body."""
    return lambda handler: handler.reply(200, body, content_type)


# --- pages that are fetched ---


def test_fetches_a_page_from_an_allowed_private_address(server: PageServer) -> None:
    server.routes["/article"] = page(content_type="text/html; charset=ISO-8859-1")
    fetched = fetch(server.url("/article#comments"), allow_private=True)
    assert fetched == Fetched(
        url=server.url("/article"), content_type="text/html", body=PAGE, charset="iso-8859-1"
    )
    [(path, headers)] = server.requests
    assert path == "/article"  # the fragment is never sent
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept-Encoding"] == "identity"


def test_connects_to_the_checked_address_and_names_the_host(server: PageServer) -> None:
    server.routes["/article"] = page(content_type="application/xhtml+xml")
    resolver = Resolver(news_test="127.0.0.1")
    fetched = fetch(server.url("/article", "news.test"), resolve=resolver, is_public=as_if_public)
    assert fetched.url == server.url("/article", "news.test")
    assert fetched.content_type == "application/xhtml+xml"
    assert fetched.charset is None
    assert resolver.calls == ["news.test"]  # looked up once, then only the address is used
    assert server.requests[0][1]["Host"] == f"news.test:{server.port}"


def test_sends_a_non_ascii_path_percent_encoded(server: PageServer) -> None:
    server.routes["/caf%C3%A9?q=%C3%A9t%C3%A9"] = page()
    fetched = fetch(server.url("/café?q=été"), allow_private=True)
    assert fetched.url == server.url("/caf%C3%A9?q=%C3%A9t%C3%A9")


def test_reads_a_gzip_body(server: PageServer) -> None:
    server.routes["/zipped"] = lambda h: h.reply(
        200, gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(server.url("/zipped"), allow_private=True).body == PAGE


def test_reads_a_page_of_exactly_max_bytes(server: PageServer) -> None:
    body = b"x" * 1000
    server.routes["/sized"] = page(body)
    server.routes["/streamed"] = lambda h: h.raw(
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    )
    assert fetch(server.url("/sized"), allow_private=True, max_bytes=1000).body == body
    assert fetch(server.url("/streamed"), allow_private=True, max_bytes=1000).body == body


# --- addresses that are refused before anything is sent ---


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/file.html", "only http and https addresses can be imported"),
        ("javascript:alert(1)", "only http and https addresses can be imported"),
        ("JavaScript://example.com/%0aalert(1)", "only http and https addresses can be imported"),
        ("file:///etc/passwd", "only http and https addresses can be imported"),
        ("data:text/html,<p>hi</p>", "only http and https addresses can be imported"),
        ("//example.com/article", "only http and https addresses can be imported"),
        ("example.com/article", "only http and https addresses can be imported"),
        ("http://user:secret@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("http:///article", "the address has no host name"),
        ("http://exa mple.com/", "spaces or characters that are not allowed"),
        ("http://example.com/\nHost: evil", "spaces or characters that are not allowed"),
        ("https://evil.example\\@example.com/", "spaces or characters that are not allowed"),
        ("http://example.com:99999/", "is not a valid address"),
        ("http://[::1/", "is not a valid address"),
    ],
)
def test_refuses_addresses_that_are_not_plain_http(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch(url, resolve=no_lookup)


def test_refuses_loopback_unless_private_addresses_are_allowed(server: PageServer) -> None:
    server.routes["/article"] = page()
    with pytest.raises(
        FetchError, match=r"^the address 127\.0\.0\.1 is not on the public internet"
    ):
        fetch(server.url("/article"))
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://10.0.0.1/",
        "http://192.168.1.1:8080/",
        "http://100.64.0.1/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://224.0.0.1/",
        "http://127.1/",  # short forms the C resolver expands to 127.0.0.1
        "http://2130706433/",
        "http://0x7f.0.0.1/",
    ],
)
def test_refuses_addresses_off_the_public_internet(url: str) -> None:
    with pytest.raises(FetchError, match="is not on the public internet"):
        fetch(url, resolve=numeric_only, timeout=1)


def test_refuses_a_host_with_any_private_address() -> None:
    resolver = Resolver(mixed_test="93.184.216.34 10.0.0.1")
    with pytest.raises(FetchError, match=r"10\.0\.0\.1 \(where mixed\.test points\)"):
        fetch("http://mixed.test/", resolve=resolver)


def test_reports_a_host_that_cannot_be_found() -> None:
    with pytest.raises(FetchError, match=r"the host nowhere\.test could not be found"):
        fetch("https://nowhere.test/", resolve=Resolver())


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:93.184.216.34", True),
        ("2002:5db8:d822::1", True),  # 6to4 of 93.184.216.34
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("198.18.0.1", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("::127.0.0.1", False),
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2001::1", False),  # Teredo
        ("2001:db8::1", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


# --- redirects ---


def test_follows_redirects_and_returns_the_final_address(server: PageServer) -> None:
    server.routes["/start"] = redirect("/middle", 301)
    server.routes["/middle"] = redirect(server.url("/end?x=1", "news.test"), 307)
    server.routes["/end?x=1"] = page()
    resolver = Resolver(news_test="127.0.0.1")
    fetched = fetch(server.url("/start", "news.test"), resolve=resolver, is_public=as_if_public)
    assert fetched.url == server.url("/end?x=1", "news.test")
    assert [path for path, _ in server.requests] == ["/start", "/middle", "/end?x=1"]
    assert resolver.calls == ["news.test"] * 3  # each hop is checked again


@pytest.mark.parametrize(
    ("location", "refused"),
    [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://0.0.0.0/", "0.0.0.0"),
        # shown as Python shows it: "::ffff:7f00:1" before 3.13
        ("http://[::ffff:127.0.0.1]/", str(ipaddress.ip_address("::ffff:127.0.0.1"))),
        ("http://127.0.0.2/", "127.0.0.2"),
        ("http://intranet.test/", "192.168.1.20 (where intranet.test points)"),
    ],
)
def test_refuses_a_redirect_off_the_public_internet(
    server: PageServer, location: str, refused: str
) -> None:
    server.routes["/start"] = redirect(location)
    resolver = Resolver(news_test="127.0.0.1", intranet_test="192.168.1.20")
    message = f"the address {refused} is not on the public internet"
    with pytest.raises(FetchError, match=f"^{re.escape(message)}$"):
        fetch(server.url("/start", "news.test"), resolve=resolver, is_public=as_if_public)
    assert len(server.requests) == 1


def test_looks_the_host_up_again_at_each_hop_and_connects_to_what_it_checked(
    server: PageServer,
) -> None:
    # DNS rebinding: the name points at the (public) server first, then inside the network.
    server.routes["/start"] = redirect("/next")
    resolver = Resolver(news_test=["127.0.0.1", "10.0.0.7"])
    with pytest.raises(FetchError, match=r"10\.0\.0\.7 \(where news\.test points\)"):
        fetch(server.url("/start", "news.test"), resolve=resolver, is_public=as_if_public)
    assert [path for path, _ in server.requests] == ["/start"]


@pytest.mark.parametrize(
    "location", ["ftp://news.test/article", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_refuses_a_redirect_to_another_scheme(server: PageServer, location: str) -> None:
    server.routes["/start"] = redirect(location)
    with pytest.raises(FetchError, match="only http and https addresses can be imported"):
        fetch(server.url("/start"), allow_private=True)


def test_counts_redirects(server: PageServer) -> None:
    for hop in range(5):
        server.routes[f"/hop/{hop}"] = redirect(f"/hop/{hop + 1}")
    server.routes["/hop/5"] = page()
    assert fetch(server.url("/hop/0"), allow_private=True).url == server.url("/hop/5")
    server.requests.clear()
    with pytest.raises(FetchError, match=r"^too many redirects \(more than 4\)$"):
        fetch(server.url("/hop/0"), allow_private=True, max_redirects=4)
    assert len(server.requests) == 5


def test_reports_a_redirect_without_location(server: PageServer) -> None:
    server.routes["/start"] = lambda h: h.reply(302, b"")
    with pytest.raises(FetchError, match="the server answered 302 without saying where to go"):
        fetch(server.url("/start"), allow_private=True)


# --- answers that are refused ---


@pytest.mark.parametrize("status", [404, 410, 500, 304])
def test_reports_a_status_that_is_not_success(server: PageServer, status: int) -> None:
    server.routes["/page"] = lambda h: h.reply(status, b"")
    with pytest.raises(FetchError, match=f"^the server answered {status}$"):
        fetch(server.url("/page"), allow_private=True)


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        ("application/pdf", "application/pdf"),
        ("image/png", "image/png"),
        ("text/plain; charset=utf-8", "text/plain"),
        ("application/json", "application/json"),
        (None, "it has no content type"),
    ],
)
def test_refuses_what_is_not_html(server: PageServer, content_type: str | None, shown: str) -> None:
    server.routes["/file"] = page(b"%PDF-1.7", content_type)
    with pytest.raises(FetchError, match=rf"^the page is not HTML \({shown}\)$"):
        fetch(server.url("/file"), allow_private=True)


def test_refuses_a_page_announced_too_large_before_reading_it(server: PageServer) -> None:
    # The server announces 6 MB and then sends almost nothing: only the header can tell.
    server.routes["/huge"] = lambda h: h.raw(
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6000000\r\n\r\n<p>"
    )
    with pytest.raises(FetchError, match=r"^the page is larger than 5 MB$"):
        fetch(server.url("/huge"), allow_private=True)


@pytest.mark.parametrize(
    "response",
    [
        # no Content-Length: the body ends when the server closes the connection
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + b"x" * 1001,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n" + b"1f4\r\n" + b"x" * 500 + b"\r\n" + b"1f5\r\n"
        b"" + b"x" * 501 + b"\r\n0\r\n\r\n",
    ],
    ids=["close-delimited", "chunked"],
)
def test_refuses_a_page_that_turns_out_too_large(server: PageServer, response: bytes) -> None:
    server.routes["/big"] = lambda h: h.raw(response)
    with pytest.raises(FetchError, match=r"^the page is larger than 1 kB$"):
        fetch(server.url("/big"), allow_private=True, max_bytes=1000)


def test_refuses_a_gzip_body_that_inflates_too_large(server: PageServer) -> None:
    bomb = gzip.compress(b"x" * 1_000_000)  # about 1 kB on the wire
    server.routes["/bomb"] = lambda h: h.reply(200, bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match=r"^the page is larger than 100 kB$"):
        fetch(server.url("/bomb"), allow_private=True, max_bytes=100_000)


def test_refuses_an_encoding_it_cannot_read(server: PageServer) -> None:
    server.routes["/br"] = lambda h: h.reply(200, b"\x1b", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="compressed as 'br'"):
        fetch(server.url("/br"), allow_private=True)


def test_reports_a_server_that_does_not_speak_http(server: PageServer) -> None:
    server.routes["/odd"] = lambda h: h.raw(b"SSH-2.0-OpenSSH_9.2\r\n")
    with pytest.raises(FetchError, match="did not answer in HTTP"):
        fetch(server.url("/odd"), allow_private=True)


def test_reports_a_refused_connection() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=f"127.0.0.1:{port} refused the connection"):
        fetch(f"http://127.0.0.1:{port}/", allow_private=True)


# --- time limit ---


def test_times_out_on_a_silent_server(server: PageServer) -> None:
    server.routes["/slow"] = lambda h: server.stop.wait(5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 0\.5 s$"):
        fetch(server.url("/slow"), allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 2


def trickle(handler: Handler) -> None:
    """Answer one byte every 50 ms, each well within any per-read timeout, for 3 s."""
    handler.raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n")
    for _ in range(60):
        if handler.server.stop.wait(0.05):
            break
        handler.raw(b"x")
        handler.wfile.flush()


def test_the_time_limit_covers_the_whole_fetch(server: PageServer) -> None:
    server.routes["/trickle"] = trickle
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 0\.5 s$"):
        fetch(server.url("/trickle"), allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 1.5


# --- https: the connection goes to the checked address, TLS checks the host name ---


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a self-signed certificate for news.test and its key."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class TLSPageServer(PageServer):
    """The page server behind TLS; each handshake happens in its handler's thread."""

    def __init__(self, certificate: tuple[Path, Path]) -> None:
        super().__init__()
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(*certificate)

    def get_request(self) -> tuple[Any, Any]:
        """Accept a connection and wrap it, leaving the handshake to the handler thread."""
        sock, address = self.socket.accept()
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Do the handshake, then handle the request."""
        request.do_handshake()
        super().finish_request(request, client_address)


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[PageServer]:
    """Return a running local page server that speaks https."""
    yield from serve(TLSPageServer(certificate))


def test_https_checks_the_certificate_against_the_host_name(
    tls_server: PageServer, certificate: tuple[Path, Path]
) -> None:
    tls_server.routes["/article"] = page()
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    resolver = Resolver(news_test="127.0.0.1", other_test="127.0.0.1")
    fetched = fetch(
        tls_server.url("/article", "news.test", "https"),
        resolve=resolver,
        is_public=as_if_public,
        ssl_context=trust,
    )
    assert fetched.body == PAGE
    assert tls_server.requests[0][1]["Host"] == f"news.test:{tls_server.port}"
    with pytest.raises(FetchError, match=r"the certificate of other\.test is not valid"):
        fetch(
            tls_server.url("/article", "other.test", "https"),
            resolve=resolver,
            is_public=as_if_public,
            ssl_context=trust,
        )
