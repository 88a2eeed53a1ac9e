"""What the registration screens share: fields found by their label, the portal's field messages
(the role=alert summary, one "Label: message" per line) and the reference numbers it shows."""

from __future__ import annotations

import re

from playwright.async_api import Locator

from bot.core.errors import BusinessError, PortalUnavailable
from flows.pages.base import Find, PortalPage

_REFERENCE = re.compile(r"(?:Case Reference No\.|Request Case Update Number):\s*([A-Z0-9-]+)")


class RegistrationForm(PortalPage):
    """A registration screen with a form; its fields are `Find`s (a label or a field's own `Find`)."""

    def field(self, label: str | Find | Locator) -> Locator:
        """A field: a declared one (its `Find`, or the locator a `Find` attribute gives), or by label."""
        if isinstance(label, Locator):
            return label
        return self.at(label if isinstance(label, Find) else Find("label", label))

    async def fill(self, label: str | Find | Locator, value: str) -> None:
        await self._guard(f"filling {_called(label)}", lambda: self.field(label).fill(value))

    async def choose(self, label: str | Find | Locator, value: str) -> None:
        """Pick an option of a select by its value."""
        await self._guard(f"choosing {_called(label)}", lambda: self.field(label).select_option(value=value))

    async def field_errors(self) -> list[str]:
        """The portal's field messages, "Label: message" each (empty when it shows none)."""
        if await self.alert.count() == 0:
            return []
        items = await self.list_items(self.alert.first, "reading the messages")
        if items:
            return items
        text = await self.alert_text()
        return [text] if text else []

    async def refused(self, what: str) -> BusinessError:
        """The portal's refusal of `what`, with its field messages; PortalUnavailable when it shows none."""
        errors = await self.field_errors()
        if not errors:
            raise PortalUnavailable(
                f"{self.screen}: no next screen and no message after {what} ({self.page.url})"
            )
        return BusinessError(f"the portal refused {what}: " + "; ".join(errors))

    async def reference(self) -> str:
        """The case reference (or case update) number the portal shows in its status message."""
        text = await self._guard("reading the reference", lambda: self.status.first.inner_text())
        match = _REFERENCE.search(text)
        if not match:
            raise PortalUnavailable(f"{self.screen}: no reference number in {text!r}")
        return match.group(1)

    async def status_value(self, label: str) -> str | None:
        """`label: VALUE` from the status message, if shown."""
        text = await self._guard("reading the status", lambda: self.status.first.inner_text())
        match = re.search(re.escape(label) + r":\s*(\S+)", text)
        return match.group(1) if match else None


def _called(label: str | Find | Locator) -> str:
    return label if isinstance(label, str) else label.name if isinstance(label, Find) else "a field"
