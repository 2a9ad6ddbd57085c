"""Helpers for the accessibility browser tests: axe-core (from tests/a11y/node_modules, installed
by `npm ci` there; never from the internet) and a bounded crawl of the pages a person reaches by
following links from their home page."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

# Links the crawl never follows: signing out, downloads (files, not pages) and administration,
# whose known limits the accessibility statement states.
SKIPPED = re.compile(
    r"/accounts/logout/|/admin/|\.(csv|xlsx|ics|zip)$|/pdf/$|/download/$|/export\.|/oidc/",
)


REQUIRED_FORM = "main form[method=post]:has([required]):not(:has([name=share]))"


def submit_empty(page) -> None:
    """Empty the required fields of the page's first form that has any, and send it."""
    form = page.locator(REQUIRED_FORM).first
    form.evaluate(
        """form => {
            form.noValidate = true;
            for (const field of form.querySelectorAll('[required]')) {
                if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
                else if (field.tagName === 'SELECT') field.value = '';
                else if (field.type !== 'hidden' && field.type !== 'file') field.value = '';
            }
        }"""
    )
    with page.expect_navigation():
        form.locator("button[type=submit], button:not([type]), input[type=submit]").first.click()


def why_axe_missing() -> str:
    if AXE.exists():
        return ""
    return f"axe-core is not installed: run `npm ci` in {AXE.parents[2]}"


def run_axe(page) -> list[dict]:
    """The serious and critical WCAG A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA_TAGS,
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
            "count": len(violation["nodes"]),
        }
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def shape(url: str) -> str:
    """A page's kind: its path with ids as N and its query's keys, so that the crawl looks at a
    few of each kind (three conversations, not all forty)."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Crawl:
    origin: str
    per_shape: int = 1
    limit: int = 60
    pages: dict[str, list[dict]] = field(default_factory=dict)
    # each form with required fields, sent with them empty: its page with the errors showing
    forms: dict[str, list[dict]] = field(default_factory=dict)
    unsummarised: list[str] = field(default_factory=list)

    def run(self, page, start: str = "/", also: tuple[str, ...] = ()) -> "Crawl":
        """From start, then also (pages with forms that the first few links may not reach)."""
        queue = [self.origin + path for path in (start, *also)]
        seen = set(queue)
        shapes: dict[str, int] = {}
        while queue and len(self.pages) < self.limit:
            url = queue.pop(0)
            kind = shape(url)
            if shapes.get(kind, 0) >= self.per_shape:
                continue
            response = page.goto(url)
            if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
                continue
            if page.url != url and not page.url.startswith(self.origin):
                continue
            shapes[kind] = shapes.get(kind, 0) + 1
            self.pages[url] = run_axe(page)
            for href in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(link => link.href)"):
                target = urldefrag(href).url
                if target.startswith(self.origin + "/") and not SKIPPED.search(target) and target not in seen:
                    seen.add(target)
                    queue.append(target)
            if page.locator(REQUIRED_FORM).count():
                self.forms[url] = self.with_errors(page, url)
        return self

    def with_errors(self, page, url: str) -> list[dict]:
        """Send the page's first form that has required fields with them emptied (the browser's
        own checks off, as the server must not rely on them); its page must show the error
        summary, focused, with "Error: " in the title."""
        submit_empty(page)
        summary = page.locator("[data-error-summary]")
        focused = page.evaluate("!!document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
        if not summary.count() or not focused or not page.title().startswith("Error: "):
            self.unsummarised.append(url)
        return run_axe(page)

    @property
    def failures(self) -> dict[str, list[dict]]:
        pages = {url: found for url, found in self.pages.items() if found}
        forms = {f"{url} (with errors)": found for url, found in self.forms.items() if found}
        return {**pages, **forms}

    def summary(self) -> str:
        """Failing nodes by rule, over the pages that have any."""
        counts: dict[str, int] = {}
        for found in [*self.pages.values(), *self.forms.values()]:
            for violation in found:
                counts[violation["id"]] = counts.get(violation["id"], 0) + violation["count"]
        rules = ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items()))
        return f"{len(self.failures)} pages with serious violations" + (f" ({rules})" if rules else "")
