import factory

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Prosecutor {n}")
    kind = OrganisationKind.PROSECUTOR
    prosecuting_authority_code = factory.Sequence(lambda n: f"PROS{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = "Adviser"
    organisation = None
    # An HMCTS person (no organisation) made for a test sees every centre's cases unless the test says
    # otherwise: tests of scope per court centre set national_access=False and grant roles.
    national_access = factory.LazyAttribute(lambda user: user.organisation is None)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


# A fixed TOTP secret for tests that sign in through the pages (base32 of RFC 6238's test key).
TEST_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def totp_enrol(user: User, secret: str = TEST_TOTP_SECRET) -> str:
    """Give `user` a confirmed authenticator with a known secret, as if they had set it up."""
    from courts.accounts.models import TotpDevice
    from courts.accounts.services import TOTP_PURPOSE
    from courts.common.clock import now
    from courts.common.secrets import seal

    TotpDevice.objects.update_or_create(
        user=user, defaults={"secret_encrypted": seal(secret, purpose=TOTP_PURPOSE), "created_at": now(),
                             "confirmed_at": now(), "last_step": 0})
    return secret


def totp_code_now(secret: str = TEST_TOTP_SECRET) -> str:
    import time

    from courts.accounts.totp import totp

    return totp(secret, time.time())
