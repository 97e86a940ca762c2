"""Test set-up shared by every app: the test database gets the real reference data once per run."""

import os

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, settings

# Property-based tests (tests/properties/, and a few beside their app): bounded, and in CI (CI=true)
# derandomised, so a run is repeatable and a failure is the same failure on every machine. Locally the
# examples are random and failures are remembered in .hypothesis/. HYPOTHESIS_PROFILE picks one by name
# ("thorough": 2,000 examples each, to hunt for bugs before a release).
settings.register_profile("dev", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow],
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))


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
