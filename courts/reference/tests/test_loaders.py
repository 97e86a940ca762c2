import datetime as dt

import pytest
from django.core.management import call_command

from courts.audit.models import Event
from courts.common.actor import Actor
from courts.reference.enums import ModeOfTrial
from courts.reference.loaders import reference_load
from courts.reference.models import (
    BailStatus,
    BankHoliday,
    CourtCentre,
    HearingType,
    Offence,
    PleaType,
    ReferenceLoad,
    ResultDefinition,
)

pytestmark = pytest.mark.django_db


def test_court_centres_carry_ou_code_lja_welsh_name_and_sitting_times():
    lavender_hill = CourtCentre.objects.get(ou_code="B01LY00")
    assert lavender_hill.name == "Lavender Hill Magistrates' Court"
    assert lavender_hill.jurisdiction == "MAGISTRATES"
    assert lavender_hill.lja
    old_bailey = CourtCentre.objects.get(ou_code="C01CE00")
    assert old_bailey.jurisdiction == "CROWN"
    assert old_bailey.welsh_name == "Y Llys Troseddol Canolog"
    assert old_bailey.default_start_time == dt.time(10, 0)
    assert CourtCentre.objects.filter(jurisdiction="MAGISTRATES").count() > 150
    assert CourtCentre.objects.filter(jurisdiction="CROWN").count() > 75


def test_offences_map_category_to_mode_of_trial():
    assert Offence.objects.count() > 30000
    assert Offence.objects.get(cjs_code="TH68010").mode_of_trial == ModeOfTrial.EITHER_WAY
    assert Offence.objects.get(cjs_code="CJ88116").mode_of_trial == ModeOfTrial.SUMMARY
    indictable = Offence.objects.filter(category="CI").first()
    assert indictable.mode_of_trial == ModeOfTrial.INDICTABLE


def test_result_definitions_keep_short_codes_prompts_and_word_groups():
    assert ResultDefinition.objects.count() == 540
    fine = ResultDefinition.objects.get(short_code="FO")
    assert fine.cjs_code == "1015" and fine.category == "F" and fine.level == "O"
    assert ["fine", "only"] in fine.word_groups
    assert fine.prompts[0]["label"] == "Amount of fine"


def test_hearing_plea_bail_types_and_bank_holidays_are_loaded():
    assert HearingType.objects.filter(code="PTP").exists()
    assert PleaType.objects.get(code="G").value == "GUILTY"
    assert BailStatus.objects.get(code="C").description == "Custody or remanded into custody"
    assert BankHoliday.objects.filter(date=dt.date(2026, 12, 25)).exists()
    assert BankHoliday.objects.filter(date=dt.date(2027, 3, 26)).exists()  # Good Friday 2027


def test_reloading_is_idempotent_and_recorded():
    before = Offence.objects.count()
    outcomes = reference_load(actor=Actor.system("test"), datasets=["offences"], force=True)
    assert outcomes[0].created == 0 and outcomes[0].updated == 0
    assert Offence.objects.count() == before
    load = ReferenceLoad.objects.filter(dataset="offences").order_by("-id").first()
    assert "bichard7-next-data" in load.source and load.row_count == before
    assert Event.objects.filter(type="reference.loaded", payload__dataset="offences").exists()


def test_unchanged_source_is_skipped_and_a_changed_row_is_restored():
    Offence.objects.filter(cjs_code="TH68010").update(title="tampered")
    call_command("load_reference", "offences", verbosity=0)  # same source and row count: skipped
    assert Offence.objects.get(cjs_code="TH68010").title == "tampered"
    outcomes = reference_load(actor=Actor.system("test"), datasets=["offences"], force=True)
    assert outcomes[0].updated == 1
    assert Offence.objects.get(cjs_code="TH68010").title != "tampered"


def test_missing_reference_directory_gives_a_clear_error(settings):
    from django.core.management.base import CommandError

    settings.REFERENCE_DIR = "/nonexistent"
    with pytest.raises(CommandError, match="COURTS_REFERENCE_DIR"):
        call_command("load_reference", "court_centres", "--force", verbosity=0)
