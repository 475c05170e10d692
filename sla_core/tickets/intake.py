"""Intake: who may open a ticket and which requests the contract covers.

Validation reports every field error at once (field name → FieldError) so the Slack modal
can show them all inline; who-may-open errors (end user, inactive account) are raised
before the form is looked at, because no field can fix them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sla_core.field_limits import TICKET_FIELDS, too_long
from sla_core.severity import Severity
from sla_core.tickets.errors import FieldError, InvalidForm, OutOfScope, PermissionDenied
from sla_core.tickets.support import Account, SupportConfig, VersionStatus


class Category(str, Enum):
    # Included by the contract.
    INCIDENT = "incident"
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis"
    IMPLEMENTATION_PROBLEM = "implementation_problem"
    UPGRADE_PROBLEM = "upgrade_problem"
    BUG_REPORT = "bug_report"
    CONFIGURATION_ADVICE = "configuration_advice"  # implementation and configuration advice
    API_BUG = "api_bug"  # needs a reproducible code sample
    # Excluded by the contract (refused with its reason).
    DEVELOPMENT_QUESTION = "development_question"
    THIRD_PARTY_INTEGRATION = "third_party_integration"
    CUSTOM_INTEGRATION = "custom_integration"
    PROFESSIONAL_SERVICES = "professional_services"


OUT_OF_SCOPE: Mapping[Category, str] = {
    Category.DEVELOPMENT_QUESTION: "development questions are not covered by the support contract "
                                   "(an API bug is: choose API bug and add a reproducible code sample)",
    Category.THIRD_PARTY_INTEGRATION: "third-party integrations and modules are not covered by the support contract",
    Category.CUSTOM_INTEGRATION: "custom integrations maintained by the customer or third parties are not "
                                 "covered by the support contract",
    Category.PROFESSIONAL_SERVICES: "professional services are not covered by the support contract; "
                                    "ask your account manager",
}
IN_SCOPE = tuple(c for c in Category if c not in OUT_OF_SCOPE)

_VERSION_REASONS = {
    VersionStatus.END_OF_LIFE: "is end-of-life and no longer supported",
    VersionStatus.BETA: "is a beta version, not covered by the support contract",
    VersionStatus.RELEASE_CANDIDATE: "is a release candidate, not covered by the support contract",
    VersionStatus.DEVELOPMENT: "is a development version, not covered by the support contract",
}

LANGUAGES = ("en", "fr")
CONTACT_CHANNELS = ("phone", "email", "slack")


@dataclass(frozen=True, kw_only=True)
class TicketForm:
    """What the reporter submits, as text straight from the form."""

    title: str
    description: str
    category: str
    product_version: str
    language: str
    contact_channel: str
    severity: str  # the reporter's assessment; agents may change it after theirs
    contact_phone: str | None = None
    affected_users: str | None = None
    code_sample: str | None = None
    account_id: str | None = None  # needed only when the reporter administers several accounts


@dataclass(frozen=True, kw_only=True)
class ValidForm:
    title: str
    description: str
    category: Category
    product_version: str
    language: str
    contact_channel: str
    severity: Severity
    contact_phone: str | None
    affected_users: str | None
    code_sample: str | None


def account_for_reporter(support: SupportConfig, reporter_id: str, requested: str | None) -> Account:
    """The active account ``reporter_id`` administers, or a refusal saying why."""
    accounts = support.administered_by(reporter_id)
    if requested is not None:
        accounts = tuple(a for a in accounts if a.id == requested)
    if not accounts:
        end_user_of = support.end_user_accounts(reporter_id)
        if end_user_of:
            admins = sorted({u for a in end_user_of for u in a.administrators})
            names = ", ".join(a.name for a in end_user_of)
            raise PermissionDenied(
                f"Only administrators of {names} can open support tickets: please ask "
                + (", ".join(f"<@{u}>" for u in admins) or "your administrator") + ".",
                code="end_user", account=names, administrators=admins)
        raise PermissionDenied(
            "Only administrators of a customer account can open support tickets, and you are not one.",
            code="not_a_customer", user=reporter_id)
    if len(accounts) > 1:
        raise PermissionDenied("You administer several accounts: choose the account this ticket is for.",
                               code="account_ambiguous", accounts=sorted(a.id for a in accounts))
    account = accounts[0]
    if not account.active:
        raise OutOfScope(f"The account {account.name} is not active, so it is not covered by the support "
                         "contract.", code="account_inactive", account=account.name)
    return account


def validate_form(form: TicketForm, support: SupportConfig) -> ValidForm:
    """The cleaned form, or InvalidForm with every field error."""
    errors: dict[str, FieldError] = {}

    def error(name: str, code: str, message: str, **params: Any) -> None:
        errors.setdefault(name, FieldError(code=code, message=message, params=params))

    # Lengths first, on the text as typed: what the modal's max_length let through passes,
    # anything longer (a forged request) is refused here, never by the database.
    typed = {name: getattr(form, name) for name in TICKET_FIELDS}
    for name, limit in too_long(typed, TICKET_FIELDS).items():
        error(name, "too_long", f"at most {limit.max_length} characters", max=limit.max_length,
              length=len(typed[name]))

    title = (form.title or "").strip()
    if not title:
        error("title", "required", "a title is required")
    description = (form.description or "").strip()
    if not description:
        error("description", "required", "describe the problem")

    category: Category | None = None
    try:
        category = Category((form.category or "").strip())
    except ValueError:
        error("category", "unknown", f'"{form.category}" is not a category',
              choices=[c.value for c in IN_SCOPE])
    if category in OUT_OF_SCOPE:
        assert category is not None
        error("category", "out_of_scope", OUT_OF_SCOPE[category], category=category.value)

    version = (form.product_version or "").strip()
    status = support.versions.get(version)
    if not version:
        error("product_version", "required", "give the product version")
    elif status is None:
        supported = sorted(v for v, s in support.versions.items() if s is VersionStatus.SUPPORTED)
        error("product_version", "unknown", f'"{version}" is not a known version', supported=supported)
    elif status is not VersionStatus.SUPPORTED:
        error("product_version", f"version_{status.value}", f"{version} {_VERSION_REASONS[status]}",
              version=version, status=status.value)

    language = (form.language or "").strip().lower()
    if language not in LANGUAGES:
        error("language", "unsupported", "support is given in English or French only", choices=list(LANGUAGES))

    channel = (form.contact_channel or "").strip().lower()
    phone = (form.contact_phone or "").strip() or None
    if channel not in CONTACT_CHANNELS:
        error("contact_channel", "unknown", "choose phone, email or Slack", choices=list(CONTACT_CHANNELS))
    elif channel == "phone" and phone is None:
        error("contact_phone", "required", "give a phone number to be called back on")

    severity: Severity | None = None
    try:
        severity = Severity.parse(form.severity)
    except ValueError:
        error("severity", "unknown", f'"{form.severity}" is not a severity',
              choices=[s.value for s in Severity])

    code_sample = (form.code_sample or "").strip() or None
    if category is Category.API_BUG and code_sample is None:
        error("code_sample", "required", "an API bug needs a reproducible code sample")

    if errors:
        raise InvalidForm(errors)
    assert category is not None and severity is not None
    return ValidForm(
        title=title, description=description, category=category, product_version=version,
        language=language, contact_channel=channel, severity=severity, contact_phone=phone,
        affected_users=(form.affected_users or "").strip() or None, code_sample=code_sample,
    )
