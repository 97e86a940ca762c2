"""Test set-up shared by every app: the test database gets the real reference data once per run."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_sign_in(monkeypatch):
    """`client.force_login(user)` in a test means "a signed-in user": mark its session as having
    finished two-factor sign-in, as the sign-in pages do. Sign-in itself is tested through the pages
    (courts/web/tests/test_two_factor.py); production code has no such shortcut."""
    from django.test.client import ClientMixin

    from courts.web.middleware import TWO_FACTOR_KEY, TWO_FACTOR_VERIFIED

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[TWO_FACTOR_KEY] = TWO_FACTOR_VERIFIED
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
