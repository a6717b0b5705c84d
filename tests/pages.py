"""What every HTML answer of the site holds to, so that its strict Content Security Policy holds:
no inline script, no inline style, no inline event handler, and the policy of config/settings.py
in the header, with neither 'unsafe-inline' nor 'unsafe-eval'.

The authorisation matrix (tests/test_authorization.py) runs `assert_strict_page` on every HTML
answer of every route, for every role; other tests import it for pages the matrix cannot reach.
"""

from html.parser import HTMLParser

from django.utils.csp import build_policy

from config.settings import SECURE_CSP

# htmx evaluates these attributes as JavaScript (`hx-on:click="…"`; `hx-vals='js:{…}'`).
HTMX_SCRIPT_PREFIXES = ("hx-on", "data-hx-on")
HTMX_VALUE_ATTRIBUTES = ("hx-vals", "hx-headers", "data-hx-vals", "data-hx-headers")


def _is_inline(name: str, value: str) -> bool:
    """A style or an event handler in an attribute, or a script in its value."""
    return (
        name == "style"
        or name.startswith(("on", *HTMX_SCRIPT_PREFIXES))
        or value.lower().startswith("javascript:")
        or (name in HTMX_VALUE_ATTRIBUTES and value.lower().startswith("js:"))
    )


class _InlineCode(HTMLParser):
    """Collects, in order, every piece of inline code of a page, each as `line N: what`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: tuple[int, bool] | None = None  # the open <script>: its line, has a src
        self._body: list[str] = []

    def _note(self, what: str) -> None:
        self.found.append(f"line {self.getpos()[0]}: {what}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = (value or "").strip()
            if _is_inline(name, value):
                self._note(f'<{tag} {name}="{value}">')
        if tag == "style":
            self._note("<style> element")
        if tag == "script":
            self._script = (self.getpos()[0], any(name == "src" for name, _ in attrs))
            self._body = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        line, has_src = self._script
        body = "".join(self._body).strip()
        if not has_src:
            self.found.append(f"line {line}: <script> without src")
        elif body:
            self.found.append(f"line {line}: <script src> with a body: {body[:60]}")
        self._script = None


def inline_code(html: str) -> list[str]:
    """Every inline script, style and event handler of a page (empty: the policy holds)."""
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


STRICT_POLICY = build_policy(SECURE_CSP)


def assert_strict_page(response, where: str = "") -> None:
    """An HTML answer holds the site's strict Content Security Policy."""
    policy = response.headers.get("Content-Security-Policy")
    assert policy == STRICT_POLICY, f"{where}: Content-Security-Policy is {policy!r}"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, where
    assert inline_code(response.content.decode()) == [], where


def is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")
