"""Defence firms, their people and advocates, for the defence tests."""

import datetime as dt

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import actor_for_user
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.common.actor import Actor

DOB = dt.date(1985, 2, 3)  # the date of birth `listed_case` gives its defendants


def firm(name: str = "Smith & Co Solicitors"):
    return OrganisationFactory(name=name, kind=OrganisationKind.DEFENCE, prosecuting_authority_code="")


def person(organisation, username: str = "solicitor", first_name: str = "Dana", last_name: str = "Defender"):
    return UserFactory(username=username, first_name=first_name, last_name=last_name, organisation=organisation)


def actor(user) -> Actor:
    return actor_for_user(user, ip_address="203.0.113.7")
