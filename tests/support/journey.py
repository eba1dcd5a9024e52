"""Count what a person does on a journey through the portal: links opened from an e-mail,
clicks, fields filled or chosen, and the pages the browser loaded, with the time it took.

docs/journeys.md records these counts. With JOURNEY_SCREENSHOTS set, ``screenshot`` writes
docs/screenshots/journey-<name>.png (the tests do not write into the repository otherwise).
"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


def phone_context(browser, base_url: str, **options):
    """A 390 px phone: a mobile Chromium context, touch and a device scale factor of 2."""
    return browser.new_context(
        base_url=base_url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        **options,
    )


@dataclass
class Journey:
    page: object
    name: str
    opened: int = 0  # links opened (from an e-mail) or addresses typed
    clicks: int = 0
    fields: int = 0  # fields filled, options chosen, boxes ticked
    loads: int = 0  # documents the browser loaded (redirects end in one)
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self):
        self.page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def open(self, path: str):
        self.opened += 1
        return self.page.goto(path)

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, value: str):
        self.fields += 1
        locator.fill(value)

    def select(self, locator, value: str):
        self.fields += 1
        locator.select_option(value)

    def check(self, locator):
        self.fields += 1
        locator.check()

    @property
    def interactions(self) -> int:
        return self.opened + self.clicks + self.fields

    def report(self) -> dict:
        """The counts, printed for the record (pytest -s shows them)."""
        counts = {
            "journey": self.name,
            "interactions": self.interactions,
            "opened": self.opened,
            "clicks": self.clicks,
            "fields": self.fields,
            "page_loads": self.loads,
            "seconds": round(time.monotonic() - self.started, 1),
        }
        print(f"JOURNEY {counts}")  # noqa: T201 - the record docs/journeys.md is written from
        return counts

    def screenshot(self, at=None) -> None:
        """The phone's screen, scrolled to ``at`` (a locator) when given."""
        if os.environ.get("JOURNEY_SCREENSHOTS"):
            if at is not None:
                at.scroll_into_view_if_needed()
            path = SCREENSHOTS / f"journey-{self.name}.png"
            self.page.screenshot(path=str(path), scale="css")
