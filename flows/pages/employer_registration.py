"""QRG 2 screens, reached from the login page without logging in: `New Employer Registration` →
the kind of employer → the form (`SUBMIT`) → "Proceed for Submission?" (`CONFIRM`) → employer code."""

from __future__ import annotations

from typing import ClassVar

from bot.core.errors import PortalUnavailable, UnknownOutcome
from bot.core.registration import EmployerApplication
from flows.pages.base import Find
from flows.pages.login import LoginEmailPage
from flows.pages.registration_form import RegistrationForm

KIND_TITLES = {
    "normal": "Normal Employer",
    "foreign-workers": "Employer of Foreign Workers",
    "domestic": "Domestic Employer",
}
# Application field → the form's label (QRG 2's fields as the portal names them).
LABELS = {
    "employer_name": "Employer Name",
    "ssm": "SSM Registration No.",
    "householder_name": "Full Name",
    "householder_id": "MyKad No.",
    "foreign_workers": "Number of Foreign Workers",
    "address1": "Address 1",
    "address2": "Address 2",
    "postcode": "Postcode",
    "city": "City",
    "contact_name": "Contact Person",
    "phone": "Phone No.",
    "email": "Email Address",
}
SELECTS = {"business_type": "Type of Business", "state": "State"}
FIELD_LABELS = {
    **LABELS,
    **SELECTS,
    "first_hire": "Date First Employee Hired",
    "document": "Supporting Document",
}
# The fields every kind's form has, and those only one kind's form has.
COMMON_FIELDS = (
    "address1",
    "address2",
    "postcode",
    "city",
    "state",
    "phone",
    "email",
    "first_hire",
    "document",
)
KIND_FIELDS = {
    "normal": ("employer_name", "ssm", "business_type", "contact_name"),
    "foreign-workers": ("employer_name", "ssm", "business_type", "contact_name", "foreign_workers"),
    "domestic": ("householder_name", "householder_id"),
}


class EmployerKindPage(RegistrationForm):
    """`Daftar Majikan Baru / New Employer Registration`: which QRG 2 form."""

    screen = "New Employer Registration"
    url = "/employer/register"
    kinds: ClassVar[dict[str, Find]] = {kind: Find("link", title) for kind, title in KIND_TITLES.items()}

    @classmethod
    async def open_from(cls, login: LoginEmailPage) -> EmployerKindPage:
        await login.follow(login.new_employer_link, "opening New Employer Registration")
        return cls(login.page)

    async def choose_kind(self, kind: str) -> EmployerFormPage:
        await self.follow(self.at(self.kinds[kind]), f"choosing {KIND_TITLES[kind]}")
        return self.on(EmployerFormPage)


class EmployerFormPage(RegistrationForm):
    screen = "New Employer Registration form"
    url = "/employer/register/*"
    # What every kind's form has; a kind's own fields (optional here) are `kind_labels(kind)`.
    fields: ClassVar[dict[str, Find]] = {
        name: Find("label", label, optional=name not in COMMON_FIELDS) for name, label in FIELD_LABELS.items()
    }
    mailbox_password = Find("label", "Mailbox Password (mock portal only)", optional=True)
    submit_button = Find("button", "SUBMIT")

    @staticmethod
    def kind_labels(kind: str) -> tuple[str, ...]:
        """The labels of the fields only this kind's form has (business or householder)."""
        return tuple(FIELD_LABELS[name] for name in KIND_FIELDS[kind])

    async def fill_in(self, application: EmployerApplication) -> None:
        """Type the application into the form; the mock-only mailbox password only where asked."""
        for name in LABELS:
            value = getattr(application, name)
            if value not in (None, ""):
                await self.fill(self.fields[name], str(value))
        for name in SELECTS:
            value = getattr(application, name)
            if value:
                await self.choose(self.fields[name], str(value))
        await self.fill(self.fields["first_hire"], application.first_hire.isoformat())
        await self._guard(
            "attaching the document",
            lambda: self.field(self.fields["document"]).set_input_files(application.document),
        )

    async def fill_mailbox_password(self, password: str) -> None:
        """The mock portal's extra field (its mail server makes a mailbox for the new login)."""
        target = self.mailbox_password
        if await self.shows(target):
            await self._guard("filling the mailbox password", lambda: target.fill(password))

    async def submit(self) -> EmployerConfirmPage:
        await self.press(self.submit_button, "submitting the form")
        confirm = self.on(EmployerConfirmPage)
        if not await confirm.shows(confirm.confirm_button):
            raise await self.refused("the employer registration")
        return confirm


class EmployerConfirmPage(RegistrationForm):
    """ "Proceed for Submission?" with the case reference and `CONFIRM`."""

    screen = "New Employer Registration (confirm)"
    url = "/employer/register/cases/*"
    confirm_button = Find("button", "CONFIRM")

    async def confirm(self) -> EmployerRegisteredPage:
        try:
            await self.press(self.confirm_button, "confirming the registration")
        except PortalUnavailable as exc:  # pressed, answer lost: the employer may be registered
            raise UnknownOutcome(
                f"{self.screen}: no answer after CONFIRM ({exc}); check the email's login "
                "before registering again (a second registration is refused)"
            ) from exc
        done = self.on(EmployerRegisteredPage)
        if not await done.shows(done.status):
            raise await self.refused("the employer registration at CONFIRM")
        return done


class EmployerRegisteredPage(RegistrationForm):
    screen = "Registration Successful"
    url = "/employer/register/cases/*/confirm"  # the answer to CONFIRM
    heading = Find("heading", "Registration Successful")

    async def employer_code(self) -> str:
        code = await self.status_value("Employer Code")
        if code is None:
            raise UnknownOutcome(f"{self.screen}: no employer code shown")
        return code
