"""Who may open a ticket, the contract's scope rules, and double submissions."""

from __future__ import annotations

import pytest

from sla_core.tickets import InvalidForm, OutOfScope, PermissionDenied, Status, service
from sla_core.tickets.intake import validate_form
from tests.tickets.conftest import ADMIN, AGENT, END_USER, INACTIVE_ADMIN, REPORTER, STRANGER, T0, a_form
from tests.tickets.helpers import open_one


def test_an_administrator_opens_a_ticket_with_a_yearly_reference(uow, policy, support) -> None:
    first = open_one(uow, policy=policy, support=support)
    second = service.open_ticket(uow, policy=policy, support=support, reporter_id=ADMIN, form=a_form(),
                                 idempotency_key=None, now=T0)
    assert (first.ref, second.ref) == ("INC-2026-000001", "INC-2026-000002")
    assert first.status is Status.OPENED and first.account_id == "acme"
    assert [e.type.value for e in first.events] == ["opened"]


def test_an_end_user_is_refused_and_told_who_their_administrators_are(uow, policy, support) -> None:
    with pytest.raises(PermissionDenied) as refused:
        service.open_ticket(uow, policy=policy, support=support, reporter_id=END_USER, form=a_form(),
                            idempotency_key=None, now=T0)
    assert refused.value.code == "end_user"
    assert refused.value.params["administrators"] == sorted([REPORTER, ADMIN])
    assert f"<@{ADMIN}>" in str(refused.value) and f"<@{REPORTER}>" in str(refused.value)


@pytest.mark.parametrize("user", [STRANGER, AGENT])
def test_someone_who_administers_no_account_is_refused(user, uow, policy, support) -> None:
    with pytest.raises(PermissionDenied) as refused:
        service.open_ticket(uow, policy=policy, support=support, reporter_id=user, form=a_form(),
                            idempotency_key=None, now=T0)
    assert refused.value.code == "not_a_customer"


def test_an_inactive_account_is_out_of_scope(uow, policy, support) -> None:
    with pytest.raises(OutOfScope) as refused:
        service.open_ticket(uow, policy=policy, support=support, reporter_id=INACTIVE_ADMIN, form=a_form(),
                            idempotency_key=None, now=T0)
    assert refused.value.code == "account_inactive"


@pytest.mark.parametrize(("version", "code"), [
    ("4.9", "version_end_of_life"), ("6.0-beta", "version_beta"), ("6.0-rc1", "version_release_candidate"),
    ("7.0-dev", "version_development"), ("3.0", "unknown"), ("", "required"),
])
def test_unsupported_versions_are_refused(version, code, support) -> None:
    with pytest.raises(InvalidForm) as refused:
        validate_form(a_form(product_version=version), support)
    assert refused.value.errors["product_version"].code == code


@pytest.mark.parametrize("category", ["development_question", "third_party_integration", "custom_integration",
                                      "professional_services"])
def test_out_of_scope_categories_are_refused_with_the_contracts_reason(category, support) -> None:
    with pytest.raises(InvalidForm) as refused:
        validate_form(a_form(category=category), support)
    error = refused.value.errors["category"]
    assert error.code == "out_of_scope" and "not covered by the support contract" in error.message


@pytest.mark.parametrize("category", ["incident", "root_cause_analysis", "implementation_problem",
                                      "upgrade_problem", "bug_report", "configuration_advice"])
def test_in_scope_categories_are_accepted(category, support) -> None:
    assert validate_form(a_form(category=category), support).category.value == category


def test_an_api_bug_needs_a_code_sample(support) -> None:
    with pytest.raises(InvalidForm) as refused:
        validate_form(a_form(category="api_bug"), support)
    assert refused.value.errors["code_sample"].code == "required"
    assert validate_form(a_form(category="api_bug", code_sample="client.get('/x')"), support).code_sample


def test_every_field_error_is_reported_at_once(support) -> None:
    form = a_form(title=" ", description="", category="professional_services", product_version="4.9",
                  language="de", contact_channel="phone", severity="urgent")
    with pytest.raises(InvalidForm) as refused:
        validate_form(form, support)
    assert {name: e.code for name, e in refused.value.errors.items()} == {
        "title": "required", "description": "required", "category": "out_of_scope",
        "product_version": "version_end_of_life", "language": "unsupported", "contact_phone": "required",
        "severity": "unknown",
    }
    assert refused.value.code == "invalid_form"


@pytest.mark.parametrize("language", ["en", "fr", "FR"])
def test_english_and_french_are_the_supported_languages(language, support) -> None:
    assert validate_form(a_form(language=language), support).language == language.lower()


def test_a_double_submission_returns_the_first_ticket(uow, policy, support) -> None:
    first = open_one(uow, policy=policy, support=support, key="view-V123")
    again = open_one(uow, policy=policy, support=support, key="view-V123")
    assert again.ref == first.ref and again.id == first.id
    assert again.new_events == ()
    with uow:
        assert uow.tickets.count() == 1


def test_an_invalid_form_writes_nothing(uow, policy, support) -> None:
    with pytest.raises(InvalidForm):
        open_one(uow, policy=policy, support=support, title="")
    with uow:
        assert uow.tickets.count() == 0
