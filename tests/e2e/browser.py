"""What every browser journey shares: Debian's Chromium, pages at a phone or desktop viewport,
the checks each key page passes (axe-core, CSP, duplicate ids, no sideways scrolling, page
weight, no other host) and the screenshots kept under var/screenshots/<journey>-<viewport>/.

Never a downloaded browser: Playwright drives the chromium Debian installs; the journeys are
skipped where it is absent.
"""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from reportlab.pdfgen import canvas

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-quic"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
PAGE_BUDGET = 150 * 1024  # bytes transferred by a front-office page's first load
PASSWORD = "Un-mot-de-passe-solide-2026"


def small_pdf(tmp_path: Path, name: str) -> Path:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, f"Pièce : {name}")
    pdf.save()
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def spaced(text: str) -> str:
    """No-break spaces (amounts are grouped with them) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# --- pages ---------------------------------------------------------------------------------


def new_page(browser, *, viewport: str = "phone", language: str = "fr", journey=None):
    """A page in a fresh context (its own cookies: one person) at the viewport.

    axe-core comes from the site's own origin (the CSP allows no inline script), served by
    the browser from the test's vendored copy. Console CSP reports and every request's
    origin are recorded on the page.
    """
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale=LOCALES[language],
                                  accept_downloads=True)
    context.route("**/__tests__/axe.js", lambda route: route.fulfill(
        path=str(AXE), content_type="application/javascript"))
    page = context.new_page()
    page.viewport_name = viewport
    page.csp_violations = []
    page.foreign_requests = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    if journey is not None:
        page.on("request", lambda request: journey.saw_request(page, request.url))
    page.set_default_timeout(15_000)
    return page


def open_link(page, text: str) -> None:
    """Follow a link and wait for the page's scripts (deferred htmx) before typing."""
    with page.expect_navigation(wait_until="load"):
        page.click(f"text={text}")


def submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def fits_the_phone(page) -> None:
    """Nothing wider than the screen: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"]
    if width > screen:
        raise AssertionError(f"{page.url} is {width} px wide on a {screen} px screen; "
                             f"too wide: {page.evaluate(TOO_WIDE)}")


# The outermost elements that reach past the right edge of the screen (for the message).
TOO_WIDE = """() => {
    const wide = [];
    for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.right > window.innerWidth + 1 && !wide.some(outer => outer.contains(el)))
            wide.push(el);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
        const text = walker.currentNode;
        range.selectNodeContents(text);
        const box = range.getBoundingClientRect();
        if (box.width && box.right > window.innerWidth + 1
                && !wide.some(outer => outer.contains(text)))
            wide.push(text.parentElement);
    }
    return wide.slice(0, 8).map(el => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`
        + `${typeof el.className === "string" && el.className ? "." + el.className : ""}`
        + ` (${Math.round(el.getBoundingClientRect().width)} px:`
        + ` ${(el.textContent || "").trim().slice(0, 40)})`);
}"""


def no_duplicate_ids(page) -> None:
    duplicated = page.evaluate("""() => {
        const seen = {};
        for (const el of document.querySelectorAll("[id]")) seen[el.id] = (seen[el.id] || 0) + 1;
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")
    assert duplicated == [], f"{page.url}: element ids used twice: {duplicated}"


def accessible(page) -> None:
    """axe-core finds no serious or critical accessibility problem on the page; no CSP
    violation so far; no id used twice (axe 4 no longer checks that)."""
    origin = page.evaluate("location.origin")
    page.add_script_tag(url=f"{origin}/__tests__/axe.js")
    result = page.evaluate("async () => await axe.run()")
    assert page.csp_violations == [], f"{page.url}: {page.csp_violations}"
    no_duplicate_ids(page)
    problems = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]
                if v["impact"] in ("serious", "critical")]
    assert problems == [], f"{page.url}: {problems}"


def page_weight(page) -> tuple[int, list[str]]:
    """(bytes transferred, hosts other than the page's) when the current URL is loaded
    for the first time: a new context with the same cookies, an empty cache."""
    browser = page.context.browser
    context = browser.new_context(viewport=page.viewport_size,
                                  storage_state=page.context.storage_state())
    try:
        probe = context.new_page()
        responses = []
        probe.on("response", lambda response: responses.append(response))
        probe.goto(page.url, wait_until="load")
        probe.wait_for_load_state("networkidle")
        total = 0
        for response in responses:
            sizes = response.request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        origin = urlsplit(page.url).netloc
        others = sorted({urlsplit(r.url).netloc for r in responses
                         if urlsplit(r.url).scheme in ("http", "https")
                         and urlsplit(r.url).netloc != origin})
        return total, others
    finally:
        context.close()


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus on {page.url}")


# --- signing in and the mail the site sends -------------------------------------------------


def wait_for_mail(to: str, pattern: str, *, after: int = 0, timeout: float = 30.0):
    """The latest e-mail to `to` among mail.outbox[after:] whose subject or body matches;
    the match (a real worker may send it a moment later)."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(mail.outbox[after:]):
            if to in message.to:
                found = re.search(pattern, message.subject) or re.search(pattern, message.body)
                if found:
                    return found
        assert time.monotonic() < deadline, f"no e-mail to {to} matching {pattern!r}"
        time.sleep(0.1)


def totp_code(user) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(user.totp_secret, int(time.time()) // 30))


def log_in(page, base: str, user, *, totp: bool = False) -> None:
    """Through the real login pages: e-mail and password, then (staff) the code the
    authenticator app shows now."""
    page.goto(base + "/comptes/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "form:has(input[name=password]) button[type=submit]")
    if totp:
        assert "/2fa/" in page.url, page.url
        # A code typed as the 30 s window turns is refused (no tolerance): type the next.
        for _attempt in range(2):
            page.fill("input[name=code]", totp_code(user))
            submit(page, "form:has(input[name=code]) button[type=submit]")
            if "/2fa/" not in page.url:
                break
    assert "/comptes/login" not in page.url and "/2fa/" not in page.url, page.url


# --- a journey: its pages' checks and screenshots -------------------------------------------


@dataclass
class Journey:
    """One journey at one viewport: checks each key page and keeps its screenshot."""

    name: str
    viewport: str
    base: str
    allowed_hosts: set[str] = field(default_factory=set)
    foreign: list[str] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)
    count: int = 0

    def __post_init__(self):
        self.folder = SCREENSHOTS / f"{self.name}-{self.viewport}"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.allowed_hosts.add(urlsplit(self.base).netloc)

    def allow(self, url: str) -> None:
        """Requests to this origin are expected from now on (a payment provider's page)."""
        self.allowed_hosts.add(urlsplit(url).netloc)

    def forbid(self, url: str) -> None:
        self.allowed_hosts.discard(urlsplit(url).netloc)

    def saw_request(self, page, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and (
                parts.netloc not in self.allowed_hosts):
            self.foreign.append(url)

    def page(self, browser, language: str = "fr"):
        return new_page(browser, viewport=self.viewport, language=language, journey=self)

    def shot(self, page, name: str) -> None:
        self.count += 1
        name = re.sub(r"^\d+[a-z]?-", "", name)
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)

    def check(self, page, name: str, *, weigh: bool = False) -> None:
        """A key page: fits the screen, accessible, its screenshot kept; a front-office
        page loaded by GET can also be weighed (first load, empty cache)."""
        fits_the_phone(page)
        accessible(page)
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        if weigh:
            total, others = page_weight(page)
            self.weights[name] = total
            assert others == [], f"{page.url} asks other hosts: {others}"
            assert total <= PAGE_BUDGET, f"{page.url}: {total} bytes on first load"
        self.shot(page, name)


# --- the contact sheet ----------------------------------------------------------------------


def write_contact_sheet(folder: Path = SCREENSHOTS) -> Path | None:
    """var/screenshots/index.html: a thumbnail of every screenshot, grouped by journey,
    each linking to the full image; the thumbnails are inlined (no other file needed)."""
    from PIL import Image

    groups = sorted(path for path in folder.iterdir() if path.is_dir()) if folder.exists() \
        else []
    groups = [group for group in groups if any(group.glob("*.png"))]
    if not groups:
        return None
    parts = ["<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>",
             "<title>Guichet unique : parcours en images</title><style>",
             "body{font-family:sans-serif;margin:1rem;background:#f6f6f6}",
             "section{margin-bottom:2rem}ol{display:flex;flex-wrap:wrap;gap:.75rem;"
             "list-style:none;padding:0}li{background:#fff;padding:.4rem;width:210px;"
             "box-shadow:0 1px 3px #0003}img{display:block;max-width:200px}"
             "figcaption{font-size:.75rem;word-break:break-all}</style></head><body>",
             "<h1>Guichet unique : parcours en images</h1>"]
    for group in groups:
        parts.append(f"<section><h2>{html.escape(group.name)}</h2><ol>")
        for png in sorted(group.glob("*.png")):
            with Image.open(png) as image:
                image = image.convert("RGB")
                width = 200
                height = round(image.height * width / image.width)
                thumb = image.resize((width, height))
                thumb = thumb.crop((0, 0, width, min(height, 420)))
                buffer = io.BytesIO()
                thumb.save(buffer, format="JPEG", quality=70)
            data = base64.b64encode(buffer.getvalue()).decode()
            relative = html.escape(f"{group.name}/{png.name}")
            parts.append(f"<li><figure><a href='{relative}'><img alt='{html.escape(png.stem)}'"
                         f" src='data:image/jpeg;base64,{data}'></a><figcaption>"
                         f"{html.escape(png.stem)}</figcaption></figure></li>")
        parts.append("</ol></section>")
    parts.append("</body></html>")
    index = folder / "index.html"
    index.write_text("".join(parts), encoding="utf-8")
    return index
