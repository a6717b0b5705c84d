"""Accounts: signing in (throttled), invitations and password resets by e-mail, links that work
once and expire."""

import datetime
import html as html_lib
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agenda.models import ApiToken
from delegations.accounts import (
    AccountError,
    NotAllowed,
    account_invite,
    focal_point_add,
    invitation_token_generator,
)
from delegations.imports import import_file
from delegations.models import ResetRequest
from delegations.resources.focal_points import FocalPointResource
from tests.factories import (
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.helpers import text

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase 7"


def sign_in(client, username, password=PASSWORD, ip="10.0.0.1", **extra):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def chile():
    meeting = MeetingFactory(slug="ccm-2025")
    delegation = DelegationFactory(code="CHL", name="Chile")
    ParticipationFactory(meeting=meeting, delegation=delegation)
    user = UserFactory(username="focal-chl", email="focal@chile.example", first_name="Ana")
    FocalPointFactory(user=user, delegation=delegation)
    return user


# --- signing in -------------------------------------------------------------------------------


def test_the_sign_in_page(client, chile):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Username<', html)
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Password<', html)
    assert '<button type="submit" class="btn btn-primary">Sign in</button>' in html
    assert 'href="/accounts/password-reset/"' in html


def test_signing_in_leads_to_my_delegation(client, chile):
    response = sign_in(client, "focal-chl")
    assert response.status_code == 302
    assert response["Location"] == "/start/"  # where each role works: a focal point's delegation
    assert client.get("/start/")["Location"] == "/my-delegation/"
    assert client.get("/my-delegation/")["Location"] == "/meetings/ccm-2025/my-delegation/CHL/"


def test_signing_in_returns_to_the_page_asked_for(client, chile):
    response = sign_in(client, "focal-chl", next="/meetings/ccm-2025/")
    assert response["Location"] == "/meetings/ccm-2025/"
    client.logout()
    response = sign_in(client, "focal-chl", next="https://elsewhere.example/")
    assert response["Location"] == "/start/"


def test_a_wrong_password_says_so_on_the_form(client, chile):
    response = sign_in(client, "focal-chl", "wrong")
    assert response.status_code == 200
    assert (
        "The username or the password is wrong (both are case-sensitive). After a few failures, "
        "signing in to this account from here is locked for a while." in text(response)
    )
    assert ' role="alert" tabindex="-1" autofocus>' in response.content.decode()


def test_signing_out(client, chile):
    client.force_login(chile)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/my-delegation/").status_code == 302


# --- throttling -------------------------------------------------------------------------------

LOCKED = (
    "Too many failed sign-ins for this username from your address. Signing in is locked for "
    "15 minutes. If you forgot your password, reset it."
)


def test_five_failures_lock_the_username_from_that_address_with_a_clear_message(client, chile):
    for _ in range(4):
        assert sign_in(client, "focal-chl", "guess").status_code == 200
    fifth = sign_in(client, "focal-chl", "guess")
    assert fifth.status_code == 429
    assert LOCKED in text(fifth)
    assert 'value="focal-chl"' in fifth.content.decode()

    # Even the right password is refused now, and nobody is signed in.
    right = sign_in(client, "focal-chl")
    assert right.status_code == 429
    assert LOCKED in text(right)
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_one_username_from_one_address(client, chile):
    for _ in range(5):
        sign_in(client, "focal-chl", "guess", ip="10.0.0.9")
    assert sign_in(client, "focal-chl", ip="10.0.0.10").status_code == 302  # another address
    client.logout()
    UserFactory(username="focal-fra")
    assert sign_in(client, "focal-fra", ip="10.0.0.9").status_code == 302  # another username


def test_the_lock_is_lifted_after_15_minutes(client, chile):
    for _ in range(5):
        sign_in(client, "focal-chl", "guess")
    assert sign_in(client, "focal-chl").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "focal-chl").status_code == 302


def test_a_success_clears_the_failures(client, chile):
    for _ in range(4):
        sign_in(client, "focal-chl", "guess")
    assert sign_in(client, "focal-chl").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "focal-chl", "guess").status_code == 200
    assert sign_in(client, "focal-chl").status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, chile):
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "focal-chl", "password": "guess"}, REMOTE_ADDR="10.1.1.1"
        )
    assert response.status_code == 429
    assert LOCKED in text(response)


def test_a_sign_in_without_a_request_is_not_throttled(chile):
    assert authenticate(username="focal-chl", password=PASSWORD) == chile


LOCKED_EVERYWHERE = (
    "Too many failed sign-ins for this username. Signing in to it is locked for 15 minutes. If "
    "you forgot your password, reset it: that lifts the lock."
)


def test_guesses_from_many_addresses_lock_the_username_everywhere(client, chile):
    answers = [
        sign_in(client, "focal-chl", f"guess {n}", ip=f"198.51.100.{n + 1}").status_code
        for n in range(30)
    ]
    assert answers == [200] * 19 + [429] * 11

    right = sign_in(client, "focal-chl", ip="192.0.2.1")  # the owner, from a fresh address
    assert right.status_code == 429
    assert LOCKED_EVERYWHERE in text(right)
    assert "_auth_user_id" not in client.session
    # Other usernames are not concerned.
    UserFactory(username="focal-fra")
    assert sign_in(client, "focal-fra", ip="198.51.100.1").status_code == 302


def test_the_username_lock_counts_only_the_last_15_minutes(client, chile):
    for n in range(20):
        sign_in(client, "focal-chl", "guess", ip=f"198.51.100.{n + 1}")
    assert sign_in(client, "focal-chl", ip="192.0.2.1").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "focal-chl", ip="192.0.2.1").status_code == 302


def test_the_address_is_the_connections_never_a_forwarded_header(client, chile):
    sign_in(client, "focal-chl", "guess", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    sign_in(client, "focal-chl", "guess", ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.8")
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [
        ("10.0.0.1", 2)
    ]


def test_setting_a_password_through_a_reset_link_lifts_the_lock(client, chile):
    for n in range(20):
        sign_in(client, "focal-chl", "guess", ip=f"198.51.100.{n + 1}")
    assert sign_in(client, "focal-chl", ip="192.0.2.1").status_code == 429
    ask_for_reset(client)
    assert set_password(client, link_in(mail.outbox[0])).status_code == 302
    assert sign_in(client, "focal-chl", NEW_PASSWORD, ip="192.0.2.1").status_code == 302


# --- password reset ---------------------------------------------------------------------------


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/\S+/)", message.body)[1]


def ask_for_reset(client, email="focal@chile.example", ip="10.0.0.1"):
    response = client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"


def set_password(client, link, password=NEW_PASSWORD):
    """Open the link and choose a password, as a browser does; the last answer."""
    opened = client.get(link)
    if opened.status_code != 302:
        return opened
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_a_reset_link_is_sent_and_works_once(client, chile):
    ask_for_reset(client)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal@chile.example"]
    assert message.subject == "Intersessional: choose a new password"
    assert "Someone asked to reset the password of the account focal-chl" in message.body
    assert "The link works once, for 3 days." in message.body
    link = link_in(message)

    done = set_password(client, link)
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password-reset/complete/"
    chile.refresh_from_db()
    assert chile.check_password(NEW_PASSWORD)

    again = set_password(client, link, "yet another passphrase 9")
    assert again.status_code == 200
    assert "This link does not work any more" in text(again)
    chile.refresh_from_db()
    assert chile.check_password(NEW_PASSWORD)


def test_a_reset_link_expires_after_three_days(client, chile, monkeypatch):
    ask_for_reset(client)
    link = link_in(mail.outbox[0])
    now = datetime.datetime.now()

    monkeypatch.setattr(default_token_generator, "_now", lambda: now + datetime.timedelta(days=3))
    assert client.get(link).status_code == 302  # still valid at the end of the third day

    monkeypatch.setattr(
        default_token_generator, "_now", lambda: now + datetime.timedelta(days=3, seconds=2)
    )
    expired = set_password(client, link)
    assert expired.status_code == 200
    assert "This link does not work any more" in text(expired)
    chile.refresh_from_db()
    assert chile.check_password(PASSWORD)


def test_unknown_addresses_get_the_same_answer_and_no_mail(client, chile):
    ask_for_reset(client, "nobody@example.org")
    assert mail.outbox == []


def test_an_account_that_never_set_a_password_can_ask_for_a_link(client, chile):
    chile.set_unusable_password()
    chile.save()
    ask_for_reset(client)
    assert len(mail.outbox) == 1


def test_an_inactive_account_gets_no_link(client, chile):
    chile.is_active = False
    chile.save()
    ask_for_reset(client)
    assert mail.outbox == []


def test_a_mismatched_new_password_is_refused_next_to_the_field(client, chile):
    ask_for_reset(client)
    opened = client.get(link_in(mail.outbox[0]))
    response = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": "other one 12345"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The two password fields didn’t match." in html_lib.unescape(html)
    assert re.search(r'<input type="password" name="new_password2"[^>]*autofocus', html)


TOO_MANY_RESETS = (
    "Too many reset links were asked for, from your address or for this e-mail address. Try "
    "again in an hour; a link sent already works for 3 days."
)


def refused_reset(client, email="focal@chile.example", ip="10.0.0.1"):
    response = client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)
    assert response.status_code == 429
    assert TOO_MANY_RESETS in text(response)
    assert ' role="alert" tabindex="-1" autofocus>' in response.content.decode()
    return response


def test_three_reset_links_an_hour_for_one_address_then_a_refusal_and_no_mail(client, chile):
    for n in range(3):
        ask_for_reset(client, ip=f"10.0.0.{n + 1}")
    assert len(mail.outbox) == 3
    refused_reset(client, ip="10.0.0.9")
    refused_reset(client, email="FOCAL@Chile.example", ip="10.0.0.10")
    assert len(mail.outbox) == 3

    ResetRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=61))
    ask_for_reset(client, ip="10.0.0.9")
    assert len(mail.outbox) == 4


def test_five_requests_an_hour_from_one_address_then_a_refusal_whatever_the_address_asked(
    client, chile
):
    for n in range(5):
        ask_for_reset(client, f"nobody{n}@example.org", ip="10.0.0.1")
    # The same refusal for a known and an unknown address: it says nothing about accounts.
    refused_reset(client, "nobody9@example.org", ip="10.0.0.1")
    refused_reset(client, "focal@chile.example", ip="10.0.0.1")
    assert mail.outbox == []
    ask_for_reset(client, ip="10.0.0.2")  # another address
    assert len(mail.outbox) == 1


def test_unknown_addresses_count_like_known_ones(client, chile):
    for n in range(3):
        ask_for_reset(client, "nobody@example.org", ip=f"10.0.0.{n + 1}")
    refused_reset(client, "nobody@example.org", ip="10.0.0.9")
    assert mail.outbox == []
    assert ResetRequest.objects.filter(email_digest__contains="@").count() == 0  # no addresses


# --- API tokens and new passwords ---------------------------------------------------------------


def api_status(client, token) -> int:
    """What the API answers a read with the token (a bad token is refused, not read as
    anonymous)."""
    return client.get(
        "/api/v1/meetings/ccm-2025/agenda/", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).status_code


def test_a_password_reset_revokes_the_accounts_api_tokens(client, chile):
    token = ApiToken.issue(chile, name="laptop")[1]
    other = ApiToken.issue(UserFactory(username="president"), name="console")[1]
    assert api_status(client, token) == 200

    ask_for_reset(client)
    assert set_password(client, link_in(mail.outbox[0])).status_code == 302

    assert api_status(client, token) == 401
    assert api_status(client, other) == 200
    assert not ApiToken.objects.filter(user=chile).exists()


def test_an_invitation_revokes_the_accounts_api_tokens(client, chile):
    token = ApiToken.issue(chile)[1]
    opened = client.get(invitation_link(chile))
    client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert api_status(client, token) == 401


def test_a_password_change_in_the_admin_revokes_the_accounts_api_tokens(client, chile):
    secretariat = UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    token, own = ApiToken.issue(chile)[1], ApiToken.issue(secretariat)[1]
    client.force_login(secretariat)
    changed = client.post(
        reverse("admin:auth_user_password_change", args=[chile.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert changed.status_code == 302
    assert api_status(client, token) == 401
    client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert api_status(client, own) == 401


def test_a_hash_upgraded_at_sign_in_revokes_nothing(client, chile, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    token = ApiToken.issue(chile)[1]
    assert chile.password.startswith("md5$")
    assert sign_in(client, "focal-chl").status_code == 302
    chile.refresh_from_db()
    assert chile.password.startswith("pbkdf2_sha256$")  # upgraded: the same password
    assert api_status(client, token) == 200


# --- invitations ------------------------------------------------------------------------------


@pytest.fixture
def secretariat(client):
    user = UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def invite_in_admin(client, *focal_points):
    return client.post(
        reverse("admin:delegations_focalpoint_changelist"),
        {"action": "invite", "_selected_action": [fp.pk for fp in focal_points]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_secretariat_invites_focal_points_from_the_admin(client, secretariat, chile):
    no_mail = FocalPointFactory(user=UserFactory(username="focal-fra", email=""))
    response = invite_in_admin(client, chile.focal_points.get(), no_mail)

    assert messages_of(response) == [
        "focal-fra has no e-mail address: add one first.",
        "1 invitation sent.",
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal@chile.example"]
    assert message.subject.startswith("Your account for CCM")
    body = message.body
    assert "Dear Ana," in body
    assert "as focal point of: Chile." in body
    assert "Your username: focal-chl" in body
    assert "The link works once, for 3 days." in body
    assert re.search(r"http://testserver/accounts/invitation/[^/\s]+/[^/\s]+/", body)
    entry = LogEntry.objects.get(object_id=str(chile.pk))
    assert entry.change_message == "Invitation sent to focal@chile.example."
    assert entry.user == secretariat


def invitation_link(user) -> str:
    invitation = account_invite(user=user, sender=UserFactory(is_superuser=True), base_url="")
    return invitation.link


def test_an_invitation_sets_the_password_signs_in_and_works_once(client, chile):
    chile.set_unusable_password()
    chile.save()
    link = invitation_link(chile)

    opened = client.get(link)
    assert opened.status_code == 302
    page = client.get(opened["Location"])
    assert "Your username is focal-chl. Choose a password to sign in with." in text(page)
    done = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/my-delegation/"
    assert int(client.session["_auth_user_id"]) == chile.pk
    chile.refresh_from_db()
    assert chile.check_password(NEW_PASSWORD)
    landing = client.get("/my-delegation/", follow=True)
    assert "Your password is set and you are signed in." in text(landing)

    client.logout()
    again = client.get(link)
    assert again.status_code == 200
    assert "This link does not work any more" in text(again)


def test_an_invitation_expires_after_three_days(client, chile, monkeypatch):
    link = invitation_link(chile)
    later = datetime.datetime.now() + datetime.timedelta(days=3, seconds=2)
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: later)
    response = client.get(link)
    assert response.status_code == 200
    assert "This link does not work any more" in text(response)


def test_an_invitation_link_is_no_reset_link_and_back(client, chile):
    invitation = invitation_link(chile)
    as_reset = invitation.replace("/invitation/", "/password-reset/")
    assert "This link does not work any more" in text(client.get(as_reset))

    ask_for_reset(client)
    reset = link_in(mail.outbox[-1])
    as_invitation = reset.replace("/password-reset/", "/invitation/")
    assert "This link does not work any more" in text(client.get(as_invitation))


@pytest.mark.parametrize(
    "link",
    [
        "/accounts/invitation/x/y/",
        "/accounts/invitation/MQ/set-password/",
        "/accounts/invitation/%00/abc-def/",
        "/accounts/password-reset/" + "A" * 300 + "/zz-zz/",
    ],
)
def test_broken_links_say_so(client, chile, link):
    response = client.get(link)
    assert response.status_code == 200
    assert "This link does not work any more" in text(response)


def test_only_the_secretariat_invites_and_only_usable_accounts(chile):
    with pytest.raises(NotAllowed):
        account_invite(user=chile, sender=chile, base_url="")
    chile.is_active = False
    with pytest.raises(AccountError) as refused:
        account_invite(user=chile, sender=UserFactory(is_superuser=True), base_url="")
    assert refused.value.message == "focal-chl is inactive: activate the account first."
    assert mail.outbox == []


def test_a_focal_point_cannot_use_the_invite_action(client, chile):
    staff = UserFactory(username="helper", is_staff=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:delegations_focalpoint_changelist"),
        {"action": "invite", "_selected_action": [chile.focal_points.get().pk]},
    )
    assert response.status_code == 403
    assert mail.outbox == []


# --- adding focal points one by one --------------------------------------------------------


def add_in_admin(client, delegation, **fields):
    return client.post(
        reverse("admin:delegations_focalpoint_add"),
        {"delegation": delegation.pk, "invite": "on", **fields},
        follow=True,
    )


def test_the_secretariat_adds_a_focal_point_with_a_new_account_and_invites_it(
    client, secretariat, chile
):
    france = DelegationFactory(code="FRA", name="France")
    response = add_in_admin(
        client, france, username="focal-fra", name="Claire Martin", email="claire@france.example"
    )
    assert response.status_code == 200
    assert messages_of(response)[0] == "1 invitation sent."
    user = get_user_model().objects.get(username="focal-fra")
    assert (user.get_full_name(), user.email, user.has_usable_password()) == (
        "Claire Martin",
        "claire@france.example",
        False,
    )
    assert list(user.focal_points.values_list("delegation__code", flat=True)) == ["FRA"]
    assert mail.outbox[0].to == ["claire@france.example"]


def test_an_existing_account_is_linked_to_another_delegation(client, secretariat, chile):
    france = DelegationFactory(code="FRA", name="France")
    response = add_in_admin(client, france, username="focal-chl", invite="")
    assert response.status_code == 200
    assert sorted(chile.focal_points.values_list("delegation__code", flat=True)) == ["CHL", "FRA"]
    assert chile.check_password(PASSWORD)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "focal-new"}, "email", "A new account needs an e-mail address: the "
         "invitation goes there."),
        ({"username": "focal-chl"}, "username", "focal-chl is already a focal point of Chile."),
        ({"username": "secretariat"}, "username", '"secretariat" is an account of the '
         "secretariat; it cannot be made a focal point. Use another username."),
        ({"username": "with space", "email": "x@example.org"}, "username", '"with space" is not '
         "a valid username: use letters, digits and @ . + - _ only, without spaces."),
        ({"username": "focal-new", "email": "focal@chile.example"}, "email",
         '"focal@chile.example" is already the e-mail of the account "focal-chl". Give each '
         "account its own address."),
    ],
)  # fmt: skip
def test_refusals_when_adding_a_focal_point(client, secretariat, chile, fields, field, message):
    response = add_in_admin(client, chile.focal_points.get().delegation, **fields)
    assert response.context["adminform"].form.errors[field] == [message]
    assert FocalPointFactory._meta.model.objects.count() == 1
    assert mail.outbox == []


def test_only_the_secretariat_adds_focal_points(chile):
    with pytest.raises(NotAllowed):
        focal_point_add(
            username="x", delegation=chile.focal_points.get().delegation, created_by=chile
        )


# --- the import of focal points ---------------------------------------------------------------


def import_focal_points(content: str, dry_run=False):
    return import_file(
        "delegations.resources.focal_points.FocalPointResource",
        content.encode(),
        file_name="focal-points.csv",
        dry_run=dry_run,
    )


def accounts():
    return sorted(
        (fp.user.username, fp.user.get_full_name(), fp.user.email, fp.delegation.code)
        for fp in FocalPointFactory._meta.model.objects.select_related("user", "delegation")
    )


def test_focal_points_are_imported_without_passwords(chile):
    DelegationFactory(code="FRA", name="France")
    report = import_focal_points(
        "username,name,email,delegation\n"
        "focal-chl,Ana Pérez,ana@chile.example,CHL\n"
        "focal-fra,Claire Martin,claire@france.example,fra\n"
        "focal-fra,Claire Martin,claire@france.example,CHL\n"
    )
    assert report.errors == []
    assert report.summary() == "Imported 3 focal points: 2 new, 1 updated, 0 unchanged."
    assert accounts() == [
        ("focal-chl", "Ana Pérez", "ana@chile.example", "CHL"),
        ("focal-fra", "Claire Martin", "claire@france.example", "CHL"),
        ("focal-fra", "Claire Martin", "claire@france.example", "FRA"),
    ]
    france = get_user_model().objects.get(username="focal-fra")
    assert france.has_usable_password() is False
    assert (france.is_staff, france.is_superuser, france.is_active) == (False, False, True)


def test_a_bad_file_imports_nothing_and_says_why_row_by_row(chile):
    UserFactory(username="secretariat", is_staff=True, email="sec@un.example")
    before = accounts()
    report = import_focal_points(
        "username,name,email,delegation\n"
        "new-one,New One,new@example.org,CHL\n"
        "secretariat,Someone,someone@example.org,CHL\n"
        "bad name,X,x@example.org,CHL\n"
        "other,Other,not-an-address,CHL\n"
        "third,Third,third@example.org,XYZ\n"
        "fourth,Fourth,focal@chile.example,CHL\n"
        "new-one,New One,changed@example.org,CHL\n"
        ",,,\n"
        "fifth,,,CHL\n"
    )
    assert report.summary() == "Nothing was imported: the file has 8 problems."
    assert report.errors == [
        'Row 3, column "username": "secretariat" is an account of the secretariat; it cannot '
        "be made a focal point. Use another username.",
        'Row 4, column "username": "bad name" is not a valid username: use letters, digits and '
        "@ . + - _ only, without spaces.",
        'Row 5, column "email": "not-an-address" is not an e-mail address.',
        'Row 6, column "delegation": "XYZ" is not a delegation code. Import the delegations '
        "first, or correct the code.",
        'Row 7, column "email": "focal@chile.example" is already the e-mail of the account '
        '"focal-chl". Give each account its own address.',
        'Row 8, column "email": Row 2 gives "new-one" another name or e-mail. An account has one '
        "name and one e-mail: make the rows agree.",
        'Row 8, column "delegation": "new-one" for CHL is also on row 2. List it once.',
        'Row 10, column "email": The cell is empty; every row needs a value here.',
    ]
    assert accounts() == before
    assert not get_user_model().objects.filter(username="new-one").exists()


def test_a_file_without_the_needed_columns_is_refused(chile):
    report = import_focal_points("username,name\nx,y\n")
    assert report.errors == [
        'The file has no "email" column. It needs the columns: username, email, delegation.',
        'The file has no "delegation" column. It needs the columns: username, email, delegation.',
    ]


def test_the_import_in_the_admin(client, secretariat, chile):
    response = client.post(
        reverse("admin:delegations_focalpoint_import"),
        {
            "import_file": SimpleUploadedFile(
                "focal-points.csv", b"username,email,delegation\nfocal-new,new@example.org,CHL\n"
            ),
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    done = client.post(
        reverse("admin:delegations_focalpoint_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
        follow=True,
    )
    assert messages_of(done) == ["Imported 1 focal point: 1 new, 0 updated, 0 unchanged."]
    assert ("focal-new", "", "new@example.org", "CHL") in accounts()


def test_an_export_imports_again_unchanged(chile):
    exported = FocalPointResource().export().csv
    assert exported.splitlines() == [
        "username,name,email,delegation",
        "focal-chl,Ana,focal@chile.example,CHL",
    ]
    report = import_focal_points(exported)
    assert report.summary() == "Imported 1 focal point: 0 new, 0 updated, 1 unchanged."
