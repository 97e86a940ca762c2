"""Five years of national criminal-court data, generated straight into PostgreSQL by COPY.

    .venv/bin/python bench/dataset.py                       # --scale 0.001: about 7,500 cases
    .venv/bin/python bench/dataset.py --scale 0.01 --reset  # 75,000 cases
    .venv/bin/python bench/dataset.py --scale 1 --reset     # national: ~7.5M cases, 9.2M defendants,
                                                            # 20M offences, 23M hearings

It works on `--database-url` (default `BENCH_DATABASE_URL`, else
postgres://postgres@127.0.0.1:5432/courts_bench), which it creates if missing, migrates
(`courts migrate`) and loads with the reference data (`courts load-reference`, idempotent). It refuses
a database that already holds cases unless `--reset` empties the tables it writes (cases, listing,
hearings, custody, representation). It refuses the databases `postgres`, `root`, `template*` and `test*`.

Then, seeded and deterministic for a given `--seed`, `--scale` and `--today`, it generates the cases
of the five years to `--today` in chronological chunks of `--chunk` cases (bounded memory) and loads
every chunk by COPY in its own transaction, on a writer thread, so that PostgreSQL ingests one chunk
while Python generates the next. Every constraint, unique index and foreign key stays in place and is
checked as the rows arrive. It finishes with ANALYZE, a smoke check through the real selectors
(`case_search` by URN and `case_get_for_actor` as `Actor.system()`), and a table of rows, seconds and
rows/s per table.

The shape of the data:
- court centres and offences from the reference data: the ~165 magistrates' court centres weighted
  (a few busy ones), sendings to a Crown Court centre of the same region; real CJS offence codes, the
  twenty most common carrying ~75% of charges, the rest a long tail of the index;
- prosecutors: the CPS for most charged cases, police forces, TfL, DVLA and TV Licensing for SJP
  notices and summonses; valid PTI-URNs (unique per prosecutor), ASNs and PNC IDs with their check
  characters (`courts.cases.identifiers`); some people come back in later cases (same name, date of
  birth and PNC ID);
- 1-6 defendants per case (~15% with two or more), 1-10 offences per defendant (~2.2 on average);
- 1-6 hearings per case (most 2-3), each in a sitting of a court room (rooms and sittings are made as
  the lists fill), custody cases first in the next working day's custody court, youths in youth courts;
  hearings before `--today` are HEARD with shared results, the first hearing on or after it is LISTED;
- on every heard hearing each defendant has a `DefendantResulting` and `JudicialResult`s of Common
  Platform's result definitions with prompts, as the notepad writes them: remands (RU, RC, RI) and the
  next hearing (NHMC, NHCCS) on adjournments, then sentences (FO, CD, CO, SUSPS, IMP, NSP) with costs
  and surcharge (FCPC, FVS), or DISM, WDRN; pleas, indicated pleas, allocations and verdicts as
  `OffenceDecision`s and on the offence; a `Remand` per defendant per adjournment (~8% of defendants
  remanded in custody at some point, with custody time limits from `courts.custody.rules`);
- a defence firm on record for about half the defendants of charged and summonsed cases.

Not generated: the event log (case timelines are empty), warrants, attendance, court logs and
deliveries. Ids are UUIDs whose first 48 bits are the creation time (version-7 layout), so that the
primary-key indexes grow at the end as in a live system.

See bench/README.md and docs/performance.md ("National data set").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import sys
import threading
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import accumulate, count
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/courts_bench"
DEFAULT_SEED = 2026
YEARS = 5
FULL_CASES = 7_500_000
ACTOR_LABEL = "dataset generator"
N = "\\N"  # NULL in COPY's text format
COMMIT = "commit: deferred foreign-key checks"

# Columns of each table as COPY writes them, in foreign-key order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "listing_courtroom": ("id", "court_centre_id", "name", "welsh_name", "is_active", "created_at"),
    "listing_sitting": ("id", "court_room_id", "court_centre_id", "date", "session", "start_time", "kind",
                        "judiciary_type", "judiciary", "hearing_type_codes", "capacity_minutes", "version",
                        "created_at"),
    "cases_prosecutioncase": ("id", "urn", "prosecutor_id", "prosecuting_authority_code", "originating_organisation",
                              "cps_organisation", "informant", "initiation_type", "summons_code", "case_markers",
                              "anticipated_plea", "reporting_restrictions", "status", "channel",
                              "requested_court_centre_id", "requested_hearing_date", "requested_hearing_time",
                              "version", "created_at", "updated_at"),
    "cases_defendant": ("id", "case_id", "sequence", "kind", "title", "first_name", "middle_name", "last_name",
                        "date_of_birth", "gender", "organisation_name", "address_lines", "postcode", "asn", "pnc_id",
                        "cro_number", "prosecutor_reference", "bail_status", "bail_conditions", "custody_reasons",
                        "proceedings_concluded", "version"),
    "cases_offence": ("id", "defendant_id", "sequence", "definition_id", "cjs_code", "title", "mode_of_trial",
                      "wording", "start_date", "end_date", "charge_date", "laid_date", "date_code", "location",
                      "status", "withdrawn_reason", "plea", "plea_date", "indicated_plea", "allocation_decision",
                      "allocation_date", "verdict", "verdict_date", "conviction_date", "acquittal_date",
                      "sent_to_crown_date", "disposal", "disposed_on"),
    "listing_hearing": ("id", "hearing_type_id", "court_centre_id", "status", "estimate_minutes", "week_commencing",
                        "is_date_to_be_fixed", "vacated_reason", "listing_note", "version", "created_at"),
    "listing_hearingday": ("hearing_id", "sitting_id", "date", "start_time", "list_order", "duration_minutes"),
    "listing_hearingdefendant": ("hearing_id", "case_id", "defendant_id"),
    "hearings_defendantresulting": ("id", "hearing_id", "defendant_id", "case_id", "draft", "version",
                                    "draft_saved_at", "draft_saved_by", "has_unshared_changes", "next_hearing_links",
                                    "share_count", "shared_at", "shared_by"),
    # The part of a result that comes from its template, then the rest.
    "hearings_judicialresult": ("definition_id", "level", "category", "short_code", "label", "cjs_code", "prompts",
                                "is_computed", "rank", "id", "resulting_id", "hearing_id", "defendant_id", "case_id",
                                "offence_id", "ordered_on", "share_number", "is_current", "shared_at"),
    "hearings_offencedecision": ("resulting_id", "hearing_id", "offence_id", "kind", "value", "decided_on",
                                 "share_number", "is_current"),
    "custody_remand": ("defendant_id", "hearing_id", "status", "from_date", "until_hearing_id", "prison",
                       "conditions", "share_number", "is_current", "created_at"),
    "custody_custodytimelimit": ("offence_id", "defendant_id", "running", "stage", "limit_days", "expiry",
                                 "days_spent", "extended_to", "explanation", "source", "computed_at"),
    "defence_representation": ("id", "defendant_id", "case_id", "organisation_id", "started_at", "started_by",
                               "ended_at", "ended_by", "end_reason"),
}
TABLES = tuple(COLUMNS)
# Emptied by --reset (with what refers to them: attendance, court log, warrants, grants, ...).
RESET_TABLES = ("cases_prosecutioncase", "listing_courtroom", "listing_sitting", "listing_hearing")

# --- pools of words --------------------------------------------------------------------------------

FIRST_MALE = ("Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
              "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac",
              "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mohammed", "Logan",
              "Dylan", "Adam", "Ryan", "Liam", "Callum", "Connor", "Kyle", "Lewis", "Jordan", "Nathan", "Jamie",
              "Ben", "Luke", "Scott", "Dean", "Wayne", "Lee", "Craig", "Darren", "Gary", "Paul", "Mark", "Stephen",
              "David", "Michael", "Christopher", "Andrew", "Richard", "Robert", "Kevin", "Ian", "Simon", "Tomasz",
              "Piotr", "Marius", "Andrei", "Ahmed", "Ali", "Hassan", "Imran", "Bilal", "Kieran", "Reece", "Tyler",
              "Brandon", "Aaron", "Shane", "Rhys", "Gareth", "Dafydd", "Owain", "Aled", "Sean", "Declan")
FIRST_FEMALE = ("Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Mia", "Poppy", "Ella", "Lily",
                "Evie", "Isabella", "Sophie", "Ivy", "Freya", "Harper", "Willow", "Charlotte", "Jessica", "Chloe",
                "Lauren", "Rebecca", "Hannah", "Amy", "Laura", "Sarah", "Emma", "Rachel", "Gemma", "Kelly",
                "Nicola", "Lisa", "Michelle", "Claire", "Joanne", "Stacey", "Danielle", "Leanne", "Natalie",
                "Aisha", "Fatima", "Zara", "Amira", "Agnieszka", "Ioana", "Megan", "Bethan", "Cerys", "Ffion",
                "Siobhan", "Shannon", "Jade", "Chelsea", "Courtney", "Paige", "Tracey", "Karen", "Susan")
LAST_NAMES = ("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
              "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
              "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
              "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
              "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
              "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
              "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
              "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell",
              "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
              "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed",
              "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds",
              "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson",
              "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry",
              "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman",
              "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods",
              "Parsons", "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton",
              "Oliver", "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates",
              "Henderson", "Parry", "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross",
              "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson",
              "Robson", "Curtis", "Hopkins", "O'Connor", "Harper", "Coleman", "Watkins", "Moss", "McCarthy",
              "Chambers", "O'Neill", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne", "Johnston",
              "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson", "Rowe", "Burke", "May", "Pritchard",
              "Gilbert", "Willis", "Higgins", "Read", "Miles", "Stevenson", "Stephenson", "Hammond", "Arnold",
              "Buckley", "Walters", "Hewitt", "Barber", "Nelson", "Slater", "Austin", "Sullivan", "Whitehead",
              "Mann", "Frost", "Lambert", "Stephens", "Blake", "Akhtar", "Lynch", "Goodwin", "Barton", "Woodward",
              "Thomson", "Cunningham", "Quinn", "Barnett", "Baxter", "Bibi", "Clayton", "Nash", "Greenwood",
              "Jennings", "Holt", "Kemp", "Poole", "Gallagher", "Bond", "Stokes", "Tucker", "Davidson", "Fowler",
              "Heath", "Norman", "Middleton", "Lawson", "Banks", "French", "Stanley", "Jarvis", "Gibbs", "Ferguson",
              "Hayward", "Carroll", "Douglas", "Dickinson", "Todd", "Barlow", "Peters", "Lucas", "Knowles",
              "Hartley", "Miah", "Simmons", "Morton", "Alexander", "Field", "Morrison", "Norris", "Townsend",
              "Preston", "Hancock", "Thornton", "Baldwin", "Burrows", "Briggs", "Storey", "Pugh", "Nowak",
              "Kowalski", "Wisniewski", "Popescu", "Ionescu", "Mahmood", "Iqbal", "Rahman", "Uddin", "Islam")
STREETS = ("High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street", "London Road",
           "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue", "The Crescent",
           "Queens Road", "New Road", "Grange Road", "Kings Road", "Kingsway", "Windsor Road", "Highfield Road",
           "Mill Lane", "Alexander Road", "York Road", "St. John's Road", "Main Road", "Broadway", "King Street",
           "The Green", "Springfield Road", "George Street", "Park Lane", "Victoria Street", "Albert Road",
           "Queensway", "New Street", "Queen Street", "West Street", "North Street", "Manchester Road",
           "The Drive", "Richmond Road", "Grove Road", "South Street", "School Lane", "The Grove", "Mill Road")
ROADS = ("A1", "A3", "A38", "M1", "M4", "M6", "M25", "M62", "A406", "A13")
CONDITIONS = ("Not to contact the complainant directly or indirectly.", "Not to enter the town centre.",
              "To reside at the address given and sleep there each night.",
              "Curfew between 20:00 and 06:00, to be electronically monitored.",
              "To report to the police station on Mondays and Fridays.", "Not to drive a motor vehicle.")
CUSTODY_REASONS = ("Substantial grounds for believing that the defendant would fail to surrender to custody.",
                   "Substantial grounds for believing that the defendant would commit an offence while on bail.",
                   "Substantial grounds for believing that the defendant would interfere with witnesses.")
RESTRICTIONS = ("Sexual Offences (Amendment) Act 1992 s.1", "Youth Justice and Criminal Evidence Act 1999 s.45",
                "Contempt of Court Act 1981 s.4(2)", "Youth Justice and Criminal Evidence Act 1999 s.46")
PRISONS = ("HMP Leeds", "HMP Manchester", "HMP Birmingham", "HMP Liverpool", "HMP Bristol", "HMP Cardiff",
           "HMP Pentonville", "HMP Wandsworth", "HMP Thameside", "HMP Bronzefield", "HMP Doncaster", "HMP Durham",
           "HMP Exeter", "HMP Lewes", "HMP Nottingham", "HMP Swansea", "HMP Hull", "HMP Norwich", "HMP Winchester",
           "HMP Chelmsford", "HMP Preston", "HMP Lincoln", "HMP Bedford", "HMP Eastwood Park", "HMP Styal")
DEFENCE_SUFFIXES = ("Solicitors", "Solicitors LLP", "& Co Solicitors", "Law", "Legal", "Criminal Defence",
                    "Defence Solicitors")
# Police forces of England and Wales: PTI-URN / ASN force code, name, its share of cases.
FORCES = (("01", "Metropolitan Police Service", 22), ("02", "Cumbria Constabulary", 1),
          ("03", "Lancashire Constabulary", 3), ("04", "Merseyside Police", 3), ("05", "Greater Manchester Police", 6),
          ("06", "Cheshire Constabulary", 2), ("07", "Northumbria Police", 3), ("10", "North Yorkshire Police", 1),
          ("11", "West Yorkshire Police", 5), ("12", "South Yorkshire Police", 3), ("13", "Humberside Police", 2),
          ("14", "Cleveland Police", 1), ("16", "Staffordshire Police", 2), ("20", "West Midlands Police", 5),
          ("21", "West Mercia Police", 2), ("22", "Warwickshire Police", 1), ("23", "Derbyshire Constabulary", 2),
          ("30", "Nottinghamshire Police", 2), ("31", "Lincolnshire Police", 1),
          ("32", "Leicestershire Police", 2), ("33", "Northamptonshire Police", 1),
          ("34", "Cambridgeshire Constabulary", 1), ("35", "Norfolk Constabulary", 1),
          ("36", "Suffolk Constabulary", 1), ("37", "Bedfordshire Police", 1), ("40", "Hertfordshire Constabulary", 2),
          ("41", "Essex Police", 3), ("42", "Thames Valley Police", 4), ("43", "Hampshire Constabulary", 3),
          ("44", "Surrey Police", 2), ("45", "Kent Police", 3), ("46", "Sussex Police", 3),
          ("47", "City of London Police", 1), ("48", "Devon and Cornwall Police", 3), ("50", "Avon and Somerset Police", 3),
          ("52", "Gloucestershire Constabulary", 1), ("53", "Wiltshire Police", 1), ("54", "Dorset Police", 1),
          ("60", "North Wales Police", 1), ("61", "Gwent Police", 1), ("62", "South Wales Police", 2),
          ("63", "Dyfed-Powys Police", 1))
UNITS = tuple(a + b for a in "ABCDEFGHJKLMNPRSTUVWXYZ" for b in "ABCDEFGHJKLMNPRSTUVWXYZ")


@dataclass(frozen=True)
class ProsecutorSpec:
    name: str
    authority: str
    kind: str  # "cps", "police", "other"
    urn_force: str  # "" for police forces: the force code of the case
    reference_prefix: str = ""


PROSECUTORS = (
    ProsecutorSpec("Crown Prosecution Service", "CPS", "cps", ""),
    ProsecutorSpec("Police (single justice procedure)", "POLICE", "police", ""),
    ProsecutorSpec("Transport for London", "TFL", "other", "93", "TFL"),
    ProsecutorSpec("Driver and Vehicle Licensing Agency", "DVLA", "other", "98", "DVLA"),
    ProsecutorSpec("TV Licensing", "TVL", "other", "95", "TVL"),
    ProsecutorSpec("RSPCA", "RSPCA", "other", "96", "RSPCA"),
)

# Common charges: (CJS code, weight, wording with {date}, {place} and {value} fields). Codes that are
# missing from the loaded reference data are skipped.
COMMON_OFFENCES = (
    ("TH68010", 14, "On {date} at {place} stole goods to the value of £{value}, belonging to a retailer. "
                    "Contrary to sections 1(1) and 7 of the Theft Act 1968."),
    ("CJ88116", 12, "On {date} at {place} assaulted a person by beating them. Contrary to section 39 of the "
                    "Criminal Justice Act 1988."),
    ("RT88007", 6, "On {date} at {place} drove a motor vehicle on a road after consuming so much alcohol that the "
                   "proportion of it in your breath exceeded the prescribed limit. Contrary to section 5(1)(a) of "
                   "the Road Traffic Act 1988."),
    ("OF61102", 5, "On {date} at {place} assaulted a person, thereby occasioning them actual bodily harm. "
                   "Contrary to section 47 of the Offences Against the Person Act 1861."),
    ("CD71037", 5, "On {date} at {place} without lawful excuse damaged property to the value of £{value}. "
                   "Contrary to sections 1(1) and 4 of the Criminal Damage Act 1971."),
    ("MD71530", 5, "On {date} at {place} had in your possession a quantity of cannabis, a controlled drug of "
                   "Class B. Contrary to section 5(2) of the Misuse of Drugs Act 1971."),
    ("PU86149", 4, "On {date} at {place} used threatening or abusive words or behaviour likely to cause "
                   "harassment, alarm or distress. Contrary to section 5(1) and (6) of the Public Order Act 1986."),
    ("CJ88160", 4, "On {date} at {place} assaulted an emergency worker acting in the exercise of functions as "
                   "such a worker, by beating them. Contrary to section 39 of the Criminal Justice Act 1988."),
    ("RT88191", 4, "On {date} at {place} used a motor vehicle on a road without insurance. Contrary to section "
                   "143(2) of the Road Traffic Act 1988."),
    ("RT88333", 3, "On {date} at {place} drove a motor vehicle on a road while disqualified. Contrary to section "
                   "103(1)(b) of the Road Traffic Act 1988."),
    ("MD71210", 3, "On {date} at {place} had in your possession a quantity of cocaine, a controlled drug of "
                   "Class A. Contrary to section 5(2) of the Misuse of Drugs Act 1971."),
    ("CJ88144", 3, "On {date} at {place} without good reason had with you in a public place an article which had "
                   "a blade. Contrary to section 139(1) and (6) of the Criminal Justice Act 1988."),
    ("TH68036", 3, "On {date} at {place}, having entered a dwelling as a trespasser, stole therein property to "
                   "the value of £{value}. Contrary to section 9(1)(b) of the Theft Act 1968."),
    ("CJ67002", 2, "On {date} at {place} was guilty, while drunk, of disorderly behaviour in a public place. "
                   "Contrary to section 91(1) of the Criminal Justice Act 1967."),
    ("RT88575", 2, "On {date} at {place} drove a mechanically propelled vehicle on a road without due care and "
                   "attention. Contrary to section 3 of the Road Traffic Act 1988."),
    ("TH68023", 1, "On {date} at {place} robbed a person of property to the value of £{value}. Contrary to "
                   "section 8(1) of the Theft Act 1968."),
    ("OF61016", 1, "On {date} at {place} wounded a person with intent to do them grievous bodily harm. Contrary "
                   "to section 18 of the Offences Against the Person Act 1861."),
)
# Single justice procedure and summonses: (prosecutor authority, CJS code, wording).
SJP_OFFENCES = (
    ("POLICE", "RR84707", "On {date} at {place} drove a motor vehicle on a restricted road at a speed exceeding "
                          "30 miles per hour. Contrary to sections 81(1) and 89(1) of the Road Traffic Regulation "
                          "Act 1984."),
    ("POLICE", "RT88567", "On {date} failed to give information as to the identity of the driver of a vehicle "
                          "when required. Contrary to section 172(3) of the Road Traffic Act 1988."),
    ("TFL", "RW89004", "On {date} travelled on a railway at {place} without having previously paid your fare. "
                       "Contrary to section 5(3)(a) of the Regulation of Railways Act 1889."),
    ("DVLA", "VE94015", "On {date} at {place} kept a vehicle on a public road when a vehicle licence was not in "
                        "force for it. Contrary to section 29(1) of the Vehicle Excise and Registration Act 1994."),
    ("TVL", "CA03001", "On {date} at {place} installed or used a television receiver without a licence. Contrary "
                       "to section 363 of the Communications Act 2003."),
    ("RSPCA", "AW06001", "On {date} at {place} failed to take reasonable steps to ensure the needs of an animal "
                         "were met. Contrary to section 9 of the Animal Welfare Act 2006."),
)

# Outcomes at the last hearing of a convicted defendant: (weight, notepad line, the prompts the notepad
# leaves to be answered, by label). `{}` in a line is filled with an amount or a period.
SENTENCES = (
    (40, "fo {}", ("80", "120", "150", "200", "250", "300", "400", "500", "660", "1000"), {}),
    (14, "cd {}", ("6m", "12m", "18m", "2y"), {}),
    (14, "co {} upwr {}", (("31/12/27", "100h"), ("31/12/27", "150h"), ("30/6/27", "80h")),
     {"Responsible officer": "Probation Service", "Supervising Court name": "the sentencing court"}),
    (8, "susps {} upwr {}", (("12w", "120h"), ("16w", "100h"), ("26w", "150h"), ("12m", "200h")),
     {"Responsible officer": "Probation Service"}),
    (9, "imp {}", ("4w", "8w", "12w", "16w", "26w", "12m", "18m", "2y", "3y"),
     {"Bail remand days to count (tagged days)": "0"}),
)
SENTENCE_WEIGHTS = tuple(accumulate(w for w, *_ in SENTENCES))


def _esc(value: str) -> str:
    """A value for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _json(value: Any) -> str:
    return _esc(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))


class Picker:
    """A weighted choice in O(log n) from precomputed cumulative weights."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, r: float) -> Any:
        return self.items[bisect_right(self.cum, r * self.total)]


# --- reference data, read once ---------------------------------------------------------------------

@dataclass
class ResultTemplate:
    """One result as the notepad writes it, its COPY fields up to `rank` already joined."""

    short_code: str
    level: str
    category: str
    head: str  # definition_id ... rank, tab-separated
    text: str  # the notepad words
    remand_status: str = ""
    label: str = ""


@dataclass
class Reference:
    magistrates: list  # (id, name, region, is_welsh)
    crown_by_region: dict
    crown_all: list
    offences: Picker  # of (definition id, cjs code, escaped title, mode of trial, wording pre/post)
    offence_by_code: dict
    sjp_offences: dict  # authority -> tuple
    hearing_types: dict  # code -> (id, default minutes)
    prosecutors: list  # (organisation id, ProsecutorSpec)
    defence: list  # organisation ids
    results: dict  # name -> ResultTemplate or list of them
    vocabulary: Any
    nh_specs: dict  # short code -> list of (spec, reference)
    holidays: frozenset


def read_reference(*, seed: int) -> Reference:
    """Read the reference data and create the organisations the cases need (prosecutors and defence
    firms), through the accounts service when they are missing."""
    from courts.accounts.enums import OrganisationKind
    from courts.accounts.models import Organisation
    from courts.accounts.services import organisation_get_or_create
    from courts.common.actor import Actor
    from courts.hearings.notepad import vocabulary
    from courts.reference.models import BankHoliday, CourtCentre, HearingType, ResultDefinition
    from courts.reference.models import Offence as OffenceDefinition

    rng = random.Random(seed)
    actor = Actor.system(ACTOR_LABEL)
    centres = list(CourtCentre.objects.order_by("ou_code").values_list("id", "name", "jurisdiction", "region",
                                                                        "is_welsh"))
    if not centres:
        raise SystemExit("No court centres: load the reference data first (courts load-reference)")
    # Ids as strings from here on: they go into COPY lines.
    magistrates = [(str(c[0]), c[1], c[3], c[4]) for c in centres if c[2] == "MAGISTRATES"]
    crown_all = [(str(c[0]), c[1], c[3], c[4]) for c in centres if c[2] == "CROWN"]
    crown_by_region: dict[str, list] = {}
    for c in crown_all:
        crown_by_region.setdefault(c[2], []).append(c)

    definitions = {o[1]: (str(o[0]), *o[1:])
                   for o in OffenceDefinition.objects.values_list("id", "cjs_code", "title", "mode_of_trial")}
    places = [f"{s}, {t}" for s in STREETS for t in ("the town centre", "the retail park", "the railway station")]

    def offence_entry(code: str, wording: str | None):
        d = definitions[code]
        title = _esc(d[2])
        if wording is None:
            wording = "On {date} at {place} committed the offence of " + d[2][0].lower() + d[2][1:] + "."
        pre, post = wording.split("{date}", 1)
        variants = tuple((_esc(pre.format(place=rng.choice(places), value=rng.randint(20, 2500))),
                          _esc(post.format(place=rng.choice(places), value=f"{rng.randint(20, 2500)}.00")))
                         for _ in range(8))
        return (d[0], code, title, d[3], variants)

    items, weights = [], []
    for code, weight, wording in COMMON_OFFENCES:
        if code in definitions:
            items.append(offence_entry(code, wording))
            weights.append(weight * 3.0)  # the common charges: about three quarters of the total
    tail_codes = sorted(c for c, d in definitions.items() if d[3] in ("SUMMARY", "EITHER_WAY", "INDICTABLE"))
    tail = random.Random(seed + 1).sample(tail_codes, min(2000, len(tail_codes)))
    for rank, code in enumerate(tail):
        items.append(offence_entry(code, None))
        weights.append(24.0 / (rank + 10) ** 1.1 * 10)
    picker = Picker(items, weights)
    sjp = {}
    for authority, code, wording in SJP_OFFENCES:
        sjp[authority] = offence_entry(code, wording) if code in definitions else items[0]

    types: dict[str, tuple] = {}
    for ht_id, code, minutes in HearingType.objects.order_by("sequence", "id").values_list(
            "id", "code", "default_duration_minutes"):
        types.setdefault(code, (str(ht_id), minutes or 0))
    for code in ("PLE", "SEN", "TRL", "MEN", "PTP", "PTR", "MEF"):
        if code not in types:
            raise SystemExit(f"Hearing type {code} is missing from the reference data")

    existing = {o.name: o for o in Organisation.objects.all()}
    prosecutors = []
    for spec in PROSECUTORS:
        org = existing.get(spec.name) or organisation_get_or_create(
            name=spec.name, kind=OrganisationKind.PROSECUTOR, actor=actor, prosecuting_authority_code=spec.authority)[0]
        prosecutors.append((org.pk, spec))
    name_rng = random.Random(seed + 2)
    defence = []
    for i in range(300):
        a, b = name_rng.sample(LAST_NAMES, 2)
        name = f"{a} {b} {DEFENCE_SUFFIXES[i % len(DEFENCE_SUFFIXES)]} ({i + 1})"
        org = existing.get(name) or organisation_get_or_create(name=name, kind=OrganisationKind.DEFENCE,
                                                               actor=actor)[0]
        defence.append(org.pk)

    vocab = vocabulary()
    rank_of = dict(ResultDefinition.objects.values_list("id", "rank"))
    results = result_templates(vocab, rank_of)
    nh_specs = {code: vocab.prompt_specs(code) for code in ("NHMC", "NHCCS")}
    holidays = frozenset(BankHoliday.objects.values_list("date", flat=True))
    return Reference(magistrates=magistrates, crown_by_region=crown_by_region, crown_all=crown_all, offences=picker,
                     offence_by_code={i[1]: i for i in items}, sjp_offences=sjp, hearing_types=types,
                     prosecutors=prosecutors, defence=defence, results=results, vocabulary=vocab, nh_specs=nh_specs,
                     holidays=holidays)


def _templates_of(line: str, answers: dict[str, str], vocab, rank_of: dict, hearing_date: dt.date
                  ) -> list[ResultTemplate]:
    """The results the notepad makes of `line`, with the prompts it leaves answered from `answers`."""
    from courts.hearings.notepad import notepad_parse
    from courts.hearings.resulting import REMAND_STATUS_BY_CJS_CODE, SURCHARGE_CODE

    parsed = notepad_parse(line, vocabulary=vocab, hearing_date=hearing_date)
    if parsed.problems:
        raise SystemExit(f"The notepad cannot read {line!r}: {parsed.problems[0].message}")
    templates = []
    for r in parsed.results:
        definition = vocab.definition(r.short_code) or {}
        prompts = [{"prompt_id": p.prompt_id, "label": p.label, "reference": p.reference, "type": p.type,
                    "value": p.value} for p in r.prompts]
        for spec in r.missing:
            if spec.label in answers:
                prompts.append({"prompt_id": spec.id, "label": spec.label, "reference": spec.reference,
                                "type": spec.type, "value": answers[spec.label]})
        order = {s.id: s.sequence for s in vocab.prompt_specs(r.short_code)}
        prompts.sort(key=lambda p: order.get(p["prompt_id"], 0))
        short_code = definition.get("shortCode") or r.short_code
        cjs_code = definition.get("cjsCode") or ""
        import uuid

        rank = rank_of.get(uuid.UUID(str(r.definition_id))) or 0
        computed = "t" if short_code.upper() == SURCHARGE_CODE else "f"
        head = "\t".join((str(r.definition_id), r.level, r.category, _esc(short_code), _esc(r.label), _esc(cjs_code),
                          _json(prompts), computed, str(max(rank, 0))))
        status = REMAND_STATUS_BY_CJS_CODE.get(cjs_code, "")
        templates.append(ResultTemplate(short_code, r.level, r.category, head, r.text or line, status, r.label))
    return templates


def result_templates(vocab, rank_of: dict) -> dict[str, Any]:
    day = dt.date(2026, 1, 5)
    prison = {"Remand basis": "First remand", "Bail exception": "Fail to surrender",
              "Bail exception reason": "Previous failures to surrender", "Remand Status": "C"}
    out: dict[str, Any] = {
        "RU": _templates_of("ru", {"Defendant excused attendance": "No"}, vocab, rank_of, day)[0],
        "RC": _templates_of("rc", {"Defendant excused attendance": "No",
                                   "Bail condition reason": "To prevent further offences"}, vocab, rank_of, day)[0],
        "RI": [_templates_of("ri", {**prison, "Prison": p}, vocab, rank_of, day)[0] for p in PRISONS],
        "WDRN": _templates_of("wdrn", {}, vocab, rank_of, day)[0],
        "DISM": _templates_of("dism", {}, vocab, rank_of, day)[0],
        "NSP": _templates_of("nsp", {}, vocab, rank_of, day)[0],
        "FCPC": [_templates_of(f"fcpc {v}", {}, vocab, rank_of, day)[0] for v in (85, 105, 150, 300, 620)],
        "FVS": [_templates_of(f"fvs {v}", {}, vocab, rank_of, day)[0] for v in (26, 32, 48, 80, 114, 154, 187)],
    }
    sentences = []
    for _, line, values, answers in SENTENCES:
        variants = []
        for v in values:
            filled = line.format(*v) if isinstance(v, tuple) else line.format(v)
            variants.append(_templates_of(filled, answers, vocab, rank_of, day))
        sentences.append(variants)
    out["sentences"] = sentences
    # The definitions of the next-hearing results, for the prompts filled per hearing.
    for code in ("NHMC", "NHCCS"):
        definition = vocab.definition(code)
        if not definition:
            raise SystemExit(f"Result definition {code} is missing from the reference data")
        out[code] = definition
    return out


# --- the generator ---------------------------------------------------------------------------------

@dataclass
class Stats:
    rows: Counter = field(default_factory=Counter)
    copy_seconds: Counter = field(default_factory=Counter)
    generate_seconds: float = 0.0
    reference_seconds: float = 0.0


class Generator:
    """Yields chunks of rows: {table: [COPY lines]}. Pure Python after `read_reference`."""

    def __init__(self, ref: Reference, *, scale: float, seed: int, today: dt.date, chunk: int = 5000) -> None:
        self.ref = ref
        self.rng = random.Random(seed)
        self.today = today
        self.start = today.replace(year=today.year - YEARS)
        self.n_cases = max(1, round(FULL_CASES * scale))
        self.chunk = chunk
        self.days = (today - self.start).days + 400  # room for hearings after today
        self.date_s = [(self.start + dt.timedelta(days=i)).isoformat() for i in range(self.days + 800)]
        working = [(self.start + dt.timedelta(days=i)).weekday() < 5
                   and (self.start + dt.timedelta(days=i)) not in ref.holidays for i in range(len(self.date_s))]
        # The working day on or after each day.
        nxt = [0] * len(working)
        following = len(working) - 1
        for i in range(len(working) - 1, -1, -1):
            if working[i]:
                following = i
            nxt[i] = following
        self.on_or_after = nxt
        self.today_i = (today - self.start).days
        epoch = dt.datetime(self.start.year, self.start.month, self.start.day, tzinfo=dt.UTC).timestamp()
        # Ids: the creation day in milliseconds, version 7, a table tag, the variant and a counter.
        self.id_prefix = [f"{int((epoch + i * 86400) * 1000):012x}7" for i in range(len(self.date_s))]
        self.counters: dict[str, Any] = defaultdict(lambda: count(1))
        self.centre_pick = self._centre_picker()
        self.urn_numbers: dict[tuple, int] = {}
        self.asn_sequence = 100_000
        self.people: list[tuple] = []  # recent defendants who may come back
        self.rooms: dict[int, int] = {}  # centre index -> rooms made
        self.sittings: dict[tuple, list] = {}  # (centre key, day, kind) -> [sitting id, count, minutes, start]
        self.day_sittings: dict[tuple, int] = {}  # (centre key, day) -> sittings made
        self.centre_keys: dict[Any, int] = {}
        self.nh_cache: dict[tuple, tuple[str, str]] = {}
        self.judiciary = self._judiciary_pool()
        self.forces = Picker([f[0] for f in FORCES], [f[2] for f in FORCES])
        self.times = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(7, 19) for m in range(0, 60, 7) for s in (0, 17, 41)]

    def _id(self, table_tag: str, day: int) -> str:
        return f"{self.id_prefix[day]}{table_tag}8{next(self.counters[table_tag]):015x}"

    def _centre_picker(self) -> Picker:
        rng = random.Random(self.rng.random())
        centres = list(range(len(self.ref.magistrates)))
        rng.shuffle(centres)
        weights = [0.0] * len(centres)
        for rank, i in enumerate(centres):
            weights[i] = 1 / (rank + 4) ** 0.8
        return Picker(list(range(len(self.ref.magistrates))), weights)

    def _judiciary_pool(self) -> dict[str, list[str]]:
        rng = random.Random(self.rng.random())
        return {
            "BENCH": [_json([f"{rng.choice(FIRST_FEMALE + FIRST_MALE)} {rng.choice(LAST_NAMES)} JP" for _ in range(3)])
                      for _ in range(400)],
            "DISTRICT_JUDGE": [_json([f"District Judge {rng.choice(LAST_NAMES)}"]) for _ in range(100)],
            "JUDGE": [_json([f"HHJ {rng.choice(LAST_NAMES)}"]) for _ in range(200)],
        }

    def centre_key(self, centre_id) -> int:
        key = self.centre_keys.get(centre_id)
        if key is None:
            key = self.centre_keys[centre_id] = len(self.centre_keys)
        return key

    def sitting_for(self, out: dict, centre, day: int, kind: str, minutes: int) -> tuple[str, int, int]:
        """The sitting at `centre` on `day` of `kind` with room for `minutes`: (sitting id, list order,
        start minutes). Rooms and sittings are made as lists fill."""
        centre_id = centre[0]
        ck = self.centre_key(centre_id)
        key = (ck, day, kind)
        s = self.sittings.get(key)
        crown = kind == "CROWN"
        capacity = 300 if crown else 180
        if s is None or (s[2] + minutes > capacity * 1.15 and s[1] > 0):
            n = self.day_sittings.get((ck, day), 0)
            self.day_sittings[(ck, day)] = n + 1
            room = n // 2 + 1
            if self.rooms.get(ck, 0) < room:
                self.rooms[ck] = room
                room_id = f"00000000-0000-7{ck:03x}-8000-{room:012x}"
                out["listing_courtroom"].append(
                    f"{room_id}\t{centre_id}\tCourtroom {room}\tYstafell Llys {room}\tt\t{self.date_s[0]} 08:00:00+00\n")
            room_id = f"00000000-0000-7{ck:03x}-8000-{room:012x}"
            session, start = ("AM", 600) if n % 2 == 0 else ("PM", 840)
            if crown:
                judiciary_type, sitting_kind = "JUDGE", "ADULT"
                judiciary = self.judiciary["JUDGE"][(ck * 31 + day + room) % 200]
            else:
                sitting_kind = kind
                if (ck + room) % 4 == 0:
                    judiciary_type = "DISTRICT_JUDGE"
                    judiciary = self.judiciary["DISTRICT_JUDGE"][(ck * 7 + day) % 100]
                else:
                    judiciary_type = "BENCH"
                    judiciary = self.judiciary["BENCH"][(ck * 13 + day * 3 + room) % 400]
            sitting_id = self._id("051", day)
            created = max(0, day - 28)
            out["listing_sitting"].append(
                f"{sitting_id}\t{room_id}\t{centre_id}\t{self.date_s[day]}\t{session}\t{start // 60:02d}:{start % 60:02d}:00\t"
                f"{sitting_kind}\t{judiciary_type}\t{judiciary}\t[]\t{capacity}\t1\t{self.date_s[created]} 08:00:00+00\n")
            s = self.sittings[key] = [sitting_id, 0, 0, start]
        s[1] += 1
        begin = s[3] + s[2]
        s[2] += minutes
        return s[0], s[1], begin

    def prune(self, before_day: int) -> None:
        """Forget the sittings of days no hearing can be listed on any more (bounded memory)."""
        self.sittings = {k: v for k, v in self.sittings.items() if k[1] >= before_day}
        self.day_sittings = {k: v for k, v in self.day_sittings.items() if k[1] >= before_day}
        if len(self.people) > 60_000:
            del self.people[:-30_000]

    def chunks(self):
        n = self.n_cases
        span = self.today_i
        for first in range(0, n, self.chunk):
            out: dict[str, list[str]] = {t: [] for t in TABLES}
            last = min(n, first + self.chunk)
            for i in range(first, last):
                created = i * span // n
                self.case(out, created)
            self.prune(max(0, (first * span // n) - 1))
            yield out

    # --- one case, its whole life ---------------------------------------------------------------------
    def case(self, out: dict, created: int) -> None:
        rng = self.rng
        r = rng.random
        ref = self.ref
        ds = self.date_s
        created = self.on_or_after[created]
        # How it started, and who prosecutes.
        roll = r()
        if roll < 0.62:
            initiation, prosecutor = "C", ref.prosecutors[0]
        elif roll < 0.76:
            initiation, prosecutor = "Q", ref.prosecutors[0]
        elif roll < 0.80:
            initiation, prosecutor = "S", ref.prosecutors[2 + int(r() * 4)]
        else:
            initiation = "J"
            roll = r()
            prosecutor = ref.prosecutors[1 if roll < 0.45 else 2 if roll < 0.60 else 3 if roll < 0.75
                                         else 4 if roll < 0.97 else 5]
        org_id, spec = prosecutor
        police = spec.kind in ("cps", "police")
        sjp = initiation == "J"
        force = self.forces(r()) if police else spec.urn_force
        # PTI-URN: force, unit, 5-digit number, year; unique per prosecutor.
        year = int(ds[created][2:4])
        unit_i = int(r() * 12) if spec.kind == "cps" else int(r() * 3)
        key = (org_id, force, unit_i, year)
        number = self.urn_numbers.get(key, 0) + 1
        while number >= 100_000:  # this unit's numbers for the year are used up: the next unit
            unit_i += 12
            key = (org_id, force, unit_i, year)
            number = self.urn_numbers.get(key, 0) + 1
        self.urn_numbers[key] = number
        unit = UNITS[unit_i % len(UNITS)]
        urn = f"{force}{unit}{number:05d}{year:02d}"
        case_id = self._id("010", created)
        centre = ref.magistrates[self.centre_pick(r())]
        ctime = self.times[int(r() * len(self.times))]
        created_at = f"{ds[created]} {ctime}+00"

        # Defendants.
        roll = r()
        n_def = 1 if sjp or roll < 0.82 else 2 if roll < 0.94 else 3 if roll < 0.98 else 4 + int(r() * 3)
        custody_case = initiation == "C" and r() < 0.105
        # Offences: co-defendants are mostly charged jointly with the same offences.
        if sjp:
            offence_sets = [[ref.sjp_offences[spec.authority]]]
        else:
            roll = r()
            n_off = (1 if roll < 0.35 else 2 if roll < 0.63 else 3 if roll < 0.81 else 4 if roll < 0.90
                     else 5 if roll < 0.95 else 6 + int(r() * 5))
            pick = ref.offences
            first_set = [pick(r()) for _ in range(n_off)]
            offence_sets = [first_set]
        indictable = any(o[3] == "INDICTABLE" for o in offence_sets[0])
        either = any(o[3] == "EITHER_WAY" for o in offence_sets[0])
        sent = not sjp and (indictable or (either and r() < 0.14))
        committed = max(0, created - (1 + int(r() * (3 if custody_case else 40 if initiation == "C" else 120))))

        # The hearings: dates, places, types.
        outcome_roll = r()
        roll = r()
        planned = (1 if roll < 0.05 else 2 if roll < 0.27 else 3 if roll < 0.54 else 4 if roll < 0.74
                   else 5 if roll < 0.88 else 6)
        if sjp:
            planned = 1 if r() < 0.6 else 2  # the second: referred from the single justice to a court
        if sent:
            planned = max(planned, 3)
        elif not sjp and outcome_roll >= 0.66:
            planned = max(planned, 2)  # a trial, or a withdrawal, comes after the first hearing
        outcome = ("G" if outcome_roll < 0.66 else "NG_G" if outcome_roll < 0.78 else "NG" if outcome_roll < 0.86
                   else "W")
        if sjp:
            outcome = "G" if outcome_roll < 0.93 else "W"
        if custody_case:
            first_day = self.on_or_after[created + 1]
        elif initiation == "C":
            first_day = self.on_or_after[created + 10 + int(r() * 25)]
        else:
            first_day = self.on_or_after[created + 21 + int(r() * 50)]
        crown_centre = None
        if sent:
            options = ref.crown_by_region.get(centre[2]) or ref.crown_all
            crown_centre = options[int(r() * len(options))]
        hearings = []  # (day, centre, type code, crown)
        day = first_day
        for k in range(planned):
            crown = sent and k > 0
            if k == 0:
                code = "PLE"
            elif k == planned - 1:
                code = "TRL" if outcome.startswith("NG") else "SEN" if outcome == "G" else "MEN"
            else:
                code = ("PTP" if k == 1 else "PTR") if crown else ("MEN", "MEF", "PTR", "MEN")[int(r() * 4)]
            hearings.append((day, crown_centre if crown else centre, code, crown))
            if day >= self.today_i:
                break
            gap = (28 + int(r() * 90)) if sent else (14 + int(r() * 42))
            day = self.on_or_after[day + gap]
        last_past = hearings[-1][0] < self.today_i
        concluded = last_past

        # Case row.
        restrictions = f'["{RESTRICTIONS[int(r() * 4)]}"]' if r() < 0.02 else "[]"
        plea_anticipated = "UNKNOWN" if sjp else ("GUILTY", "NOT_GUILTY", "UNKNOWN")[int(r() * 3)]
        channel = "spi" if police else "api"
        informant = f"PC {int(r() * 9000) + 100} {LAST_NAMES[int(r() * len(LAST_NAMES))]}" if police else spec.name
        updated_day = min(hearings[-1][0], self.today_i)
        out["cases_prosecutioncase"].append(
            f"{case_id}\t{urn}\t{org_id}\t{spec.authority}\t{force}{unit}000\t\t{informant}\t{initiation}\t\t[]\t"
            f"{plea_anticipated}\t{restrictions}\t{'CONCLUDED' if concluded else 'ACTIVE'}\t{channel}\t{centre[0]}\t"
            f"{ds[first_day]}\t10:00:00\t{2 if concluded else 1}\t{created_at}\t{ds[updated_day]} 16:{int(r() * 60):02d}:00+00\n")

        defendants = []  # (id, youth, custody, offences [(id, entry)], person)
        for seq in range(1, n_def + 1):
            defendant_id = self._id("020", created)
            people = self.people
            if people and not sjp and r() < 0.22:
                person = people[int(r() * len(people))]
            else:
                person = self.person(created, youth_share=0.0 if sjp else 0.06)
                if not sjp:
                    people.append(person)
            title, first, last, dob_i, gender, pnc, address, postcode = person
            youth = dob_i > created - 18 * 365
            in_custody = custody_case and (seq == 1 or r() < 0.5)
            if police and initiation in ("C", "Q"):
                self.asn_sequence += 1 + int(r() * 30)
                base = f"{ds[created][2:4]}{force}{unit}01{self.asn_sequence:011d}"
                asn = base + asn_check(base)
            else:
                asn = ""
            reference_no = "" if police else f"{spec.reference_prefix}{int(r() * 90_000_000) + 10_000_000}"
            bail = "C" if in_custody else "" if sjp else ("U" if r() < 0.6 else "B")
            conditions = CONDITIONS[int(r() * len(CONDITIONS))] if bail == "B" else ""
            reasons = CUSTODY_REASONS[int(r() * len(CUSTODY_REASONS))] if bail == "C" else ""
            out["cases_defendant"].append(
                f"{defendant_id}\t{case_id}\t{seq}\tperson\t{title}\t{first}\t\t{last}\t{ds[dob_i] if dob_i >= 0 else _old(dob_i, self.start)}\t"
                f"{gender}\t\t{address}\t{postcode}\t{asn}\t{pnc if police else ''}\t\t{reference_no}\t{bail}\t"
                f"{conditions}\t{reasons}\t{'t' if concluded else 'f'}\t1\n")
            entries = offence_sets[0] if (seq == 1 or r() < 0.8) else [ref.offences(r()) for _ in offence_sets[0]]
            offences = []
            for oseq, entry in enumerate(entries, 1):
                offences.append((self._id("030", created), entry, oseq))
            defendants.append((defendant_id, youth, in_custody, offences, person))

        # Hearings, their days and defendants; results on those before today.
        types = ref.hearing_types
        hearing_ids = [self._id("040", max(created, h[0] - 21)) for h in hearings]
        for k, (hday, hcentre, code, crown) in enumerate(hearings):
            hearing_id = hearing_ids[k]
            type_id, minutes = types[code]
            if code == "TRL":
                minutes = 300 if crown else 150
            minutes = minutes or 20
            past = hday < self.today_i
            hcreated = max(created, hearings[k - 1][0] if k else created)
            out["listing_hearing"].append(
                f"{hearing_id}\t{type_id}\t{hcentre[0]}\t{'HEARD' if past else 'LISTED'}\t{minutes}\t"
                f"{self.week_commencing(hday)}\tf\t\t\t{2 if past else 1}\t{ds[hcreated]} {ctime}+00\n")
            kind = "CROWN" if crown else ("CUSTODY" if custody_case and k == 0 else
                                          "YOUTH" if any(d[1] for d in defendants) else "ADULT")
            days = 1 + (int(r() * 4) if crown and code == "TRL" else 0)
            dday = hday
            for _ in range(days):
                sitting_id, order, begin = self.sitting_for(out, hcentre, dday, kind, min(minutes, 300))
                out["listing_hearingday"].append(
                    f"{hearing_id}\t{sitting_id}\t{ds[dday]}\t{begin // 60:02d}:{begin % 60:02d}:00\t{order}\t"
                    f"{min(minutes, 300)}\n")
                dday = self.on_or_after[dday + 1]
            for d in defendants:
                out["listing_hearingdefendant"].append(f"{hearing_id}\t{case_id}\t{d[0]}\n")
        # Per defendant: the record of every hearing before today, and the offences' outcome.
        for d in defendants:
            self.defendant_record(out, d, case_id, hearings, hearing_ids, outcome, sent, committed, initiation,
                                  concluded, spec)

    def week_commencing(self, day: int) -> str:
        monday = day - (self.start.weekday() + day) % 7
        return self.date_s[monday] if monday >= 0 else _old(monday, self.start)

    def person(self, created: int, youth_share: float) -> tuple:
        r = self.rng.random
        female = r() < 0.2
        if female:
            first = FIRST_FEMALE[int(r() * len(FIRST_FEMALE))]
            title = ("Ms", "Miss", "Mrs")[int(r() * 3)]
        else:
            first, title = FIRST_MALE[int(r() * len(FIRST_MALE))], "Mr"
        last = LAST_NAMES[int(r() * len(LAST_NAMES))]
        if r() < youth_share:
            age_days = int((10 + r() * 8) * 365.25)
        else:
            age_days = int(self.rng.triangular(18, 80, 24) * 365.25)
        dob_i = created - age_days
        pnc = ""
        if r() < 0.7:
            pyear = str(min(self.today.year, 1990 + int(r() * (self.today.year - 1989))))
            serial = f"{int(r() * 9_999_999):07d}"
            pnc = f"{pyear}/{serial}{pnc_check(pyear, serial)}"
        town = STREETS[int(r() * len(STREETS))]
        address = f'["{int(r() * 240) + 1} {town}", "{LAST_NAMES[int(r() * len(LAST_NAMES))]}ton"]'
        postcode = f"{'ABCDEFGHLMNPRSTW'[int(r() * 16)]}{'ALNRS'[int(r() * 5)]}{int(r() * 20) + 1} {int(r() * 9) + 1}{'ABDEFGHJLNPQRSTUWXYZ'[int(r() * 20)]}{'ABDEFGHJLNPQRSTUWXYZ'[int(r() * 20)]}"
        return (title, first, _esc(last), dob_i, "FEMALE" if female else "MALE", pnc, _esc(address), postcode)

    def defendant_record(self, out: dict, d: tuple, case_id: str, hearings: list, hearing_ids: list, outcome: str,
                         sent: bool, committed: int, initiation: str, concluded: bool, spec: ProsecutorSpec) -> None:
        r = self.rng.random
        ds = self.date_s
        ref = self.ref
        res = ref.results
        defendant_id, youth, in_custody, offences, _person = d
        today_i = self.today_i
        # Remand status after each adjournment: custody stays custody for a while, bail mostly bail.
        status = "C" if in_custody else ("U" if r() < 0.6 else "B")
        if not in_custody and r() < 0.035 and initiation in ("C", "Q"):
            status = "C"  # remanded in custody at a later hearing
        prison = PRISONS[int(r() * len(PRISONS))]
        prison_template = res["RI"][PRISONS.index(prison)]
        remands: list[tuple[int, str]] = []
        plea_day = hearings[0][0]
        final_day = hearings[-1][0] if concluded else None
        guilty = outcome in ("G", "NG_G")
        plea_value = "GUILTY" if outcome == "G" else "NOT_GUILTY" if outcome.startswith("NG") else ""
        sentence_group = None
        if concluded and guilty:
            roll = r() * SENTENCE_WEIGHTS[-1]
            sentence_group = ref.results["sentences"][bisect_right(SENTENCE_WEIGHTS, roll)]
        represented = initiation in ("C", "Q") and r() < 0.55
        n = len(hearings)
        for k, (hday, _centre, code, _crown) in enumerate(hearings):
            if hday >= today_i:
                break
            hearing_id = hearing_ids[k]
            shared_at = f"{ds[hday]} {11 + int(r() * 5)}:{int(r() * 60):02d}:{int(r() * 60):02d}+00"
            resulting_id = self._id("060", hday)
            results: list[tuple[ResultTemplate, str | None, str]] = []  # template, offence id, prompts override
            decisions: list[tuple[str, str, str]] = []
            notes: dict[str, list[str]] = {o[0]: [] for o in offences}
            defendant_notes: list[str] = []
            links = "[]"
            final = concluded and k == n - 1
            if k == 0 and plea_value and not sent:
                for o in offences:
                    decisions.append((o[0], "PLEA", plea_value))
                    notes[o[0]].append("plea=" + ("g" if plea_value == "GUILTY" else "ng"))
            if k == 0 and sent:
                for o in offences:
                    decisions.append((o[0], "INDICATED_PLEA", "INDICATED_NOT_GUILTY"))
                    decisions.append((o[0], "ALLOCATION", "SENT_CROWN"))
                    notes[o[0]].append("ind=ng alloc=crown")
            if final:
                if outcome == "NG_G" and code == "TRL":
                    for o in offences:
                        decisions.append((o[0], "VERDICT", "GUILTY"))
                        notes[o[0]].append("verdict=g")
                if guilty:
                    variants = sentence_group[int(r() * len(sentence_group))]
                    for j, o in enumerate(offences):
                        lines = variants if j == 0 or r() < 0.5 else [res["NSP"]]
                        for t in lines:
                            results.append((t, o[0], ""))
                            notes[o[0]].append(t.text)
                    for t in (res["FCPC"][int(r() * 5)] if spec.kind == "cps" else None,
                              res["FVS"][int(r() * 7)]):
                        if t is not None:
                            results.append((t, None, ""))
                            defendant_notes.append(t.text)
                else:
                    t = res["DISM"] if outcome == "NG" else res["WDRN"]
                    if outcome == "NG":
                        for o in offences:
                            decisions.append((o[0], "VERDICT", "NOT_GUILTY"))
                    for o in offences:
                        results.append((t, o[0], ""))
                        notes[o[0]].append(("verdict=ng " if outcome == "NG" else "") + t.text)
            elif k < n - 1:
                # Adjourned: the remand decision on each offence and the next hearing on the first.
                if status == "C" and remands and r() < 0.25 and not in_custody:
                    status = "B"  # bailed after a spell in custody
                t = prison_template if status == "C" else res["RU"] if status == "U" else res["RC"]
                for o in offences:
                    results.append((t, o[0], ""))
                    notes[o[0]].append(t.text)
                nday, ncentre, ncode, ncrown = hearings[k + 1]
                nh_code = "NHCCS" if ncrown else "NHMC"
                nh_prompts = self.next_hearing_prompts(nh_code, ncentre, ncode, nday, status)
                results.append((self.nh_template(nh_code), offences[0][0], nh_prompts))
                notes[offences[0][0]].append(nh_code.lower())
                links = (f'[{{"key": "{ds[nday]}|{ncentre[0]}|{self.ref.hearing_types[ncode][0]}", '
                         f'"hearing_id": "{hearing_ids[k + 1]}"}}]')
                remands.append((k, status))
                out["custody_remand"].append(
                    f"{defendant_id}\t{hearing_id}\t{status}\t{ds[hday]}\t{hearing_ids[k + 1]}\t"
                    f"{prison if status == 'C' else ''}\t\t1\tt\t{shared_at}\n")
            # The draft as shared (the notepad words hold no quotes or backslashes).
            draft = ('{"offences": {' + ", ".join(f'"{oid}": {{"notepad": "{" ".join(words)}"}}'
                                                  for oid, words in notes.items())
                     + '}, "defendant": {"notepad": "' + " ".join(defendant_notes) + '"}}')
            out["hearings_defendantresulting"].append(
                f"{resulting_id}\t{hearing_id}\t{defendant_id}\t{case_id}\t{draft}\t3\t{shared_at}\t"
                f"Legal adviser\tf\t{links}\t1\t{shared_at}\tLegal adviser\n")
            jr = out["hearings_judicialresult"]
            for t, offence_id, prompts in results:
                head = t.head
                if prompts:
                    head = head.rsplit("\t", 3)
                    head = f"{head[0]}\t{prompts}\t{head[2]}\t{head[3]}"
                jr.append(f"{head}\t{self._id('070', hday)}\t{resulting_id}\t{hearing_id}\t{defendant_id}\t{case_id}\t"
                          f"{offence_id or N}\t{ds[hday]}\t1\tt\t{shared_at}\n")
            od = out["hearings_offencedecision"]
            for offence_id, kind, value in decisions:
                od.append(f"{resulting_id}\t{hearing_id}\t{offence_id}\t{kind}\t{value}\t{ds[hday]}\t1\tt\n")
        if represented:
            first_day = hearings[0][0]
            out["defence_representation"].append(
                f"{self._id('080', first_day)}\t{defendant_id}\t{case_id}\t{ref.defence[int(r() * len(ref.defence))]}\t"
                f"{ds[max(0, first_day - 2)]} 09:{int(r() * 60):02d}:00+00\tDefence solicitor\t\\N\t\t\n")

        # The offences, as the shared results left them.
        sent_date = ds[plea_day] if sent and hearings[0][0] < today_i else N
        plea_date = ds[plea_day] if plea_value and not sent and plea_day < today_i else N
        fin = ds[final_day] if final_day is not None else N
        if final_day is not None and guilty:
            disposal = sentence_group[0][0].label if sentence_group else ""
        elif final_day is not None:
            disposal = "Dismissed" if outcome == "NG" else "Withdrawn"
        else:
            disposal = ""
        verdict = ("GUILTY" if outcome == "NG_G" else "NOT_GUILTY" if outcome == "NG" else "") if final_day else ""
        conviction = N
        if guilty and outcome == "G" and not sent and plea_day < today_i:
            conviction = ds[plea_day]
        elif guilty and final_day is not None:
            conviction = fin
        for offence_id, entry, oseq in offences:
            definition_id, cjs_code, title, mode, variants = entry
            pre, post = variants[int(r() * 8)]
            start = ds[committed]
            charge = start if initiation == "C" else N
            laid = ds[committed + 14] if initiation != "C" else N
            out["cases_offence"].append(
                f"{offence_id}\t{defendant_id}\t{oseq}\t{definition_id}\t{cjs_code}\t{title}\t{mode}\t"
                f"{pre}{start}{post}\t{start}\t{N}\t{charge}\t{laid}\t1\t\tACTIVE\t\t"
                f"{plea_value if plea_date != N else ''}\t{plea_date}\t"
                f"{'INDICATED_NOT_GUILTY' if sent_date != N else ''}\t{'SENT_CROWN' if sent_date != N else ''}\t"
                f"{sent_date}\t{verdict}\t{fin if verdict else N}\t{conviction}\t"
                f"{fin if outcome == 'NG' and final_day is not None else N}\t{sent_date}\t{_esc(disposal)}\t{fin if disposal else N}\n")
        # Custody time limits of anyone remanded in custody.
        if any(s == "C" for _, s in remands):
            self.custody_time_limits(out, d, hearings, remands, sent, sent_date, guilty, conviction, fin)

    def nh_template(self, code: str) -> ResultTemplate:
        key = ("template", code)
        t = self.nh_cache.get(key)
        if t is None:
            definition = self.ref.results[code]
            head = "\t".join((definition["id"], definition.get("level", "O"), definition.get("category", "I"),
                              _esc(definition.get("shortCode", code)), _esc(definition.get("label", "")),
                              _esc(definition.get("cjsCode") or ""), "[]", "f", str(max(0, definition.get("rank") or 0))))
            t = self.nh_cache[key] = ResultTemplate(code, "O", "I", head, code.lower())
        return t

    def next_hearing_prompts(self, code: str, centre, type_code: str, day: int, status: str) -> str:
        key = (code, centre[0], type_code, status)
        parts = self.nh_cache.get(key)
        if parts is None:
            values = {"HDATE": "@DATE@", "timeOfHearing": "10:00", "HTIME": "10:00", "HCHOUSE": centre[1],
                      "HTYPE": type_code, "HEST": f"{self.ref.hearing_types[type_code][1] or 20} Minutes",
                      "remandStatus": status}
            prompts = [{"prompt_id": s.id, "label": s.label, "reference": s.reference, "type": s.type,
                        "value": values[s.reference]} for s in self.ref.nh_specs[code] if s.reference in values]
            pre, post = _json(prompts).split("@DATE@")
            parts = self.nh_cache[key] = (pre, post)
        return f"{parts[0]}{self.date_s[day]}{parts[1]}"

    def custody_time_limits(self, out, d, hearings, remands, sent, sent_date, guilty, conviction, fin) -> None:
        from courts.custody.rules import CtlFacts, CustodyPeriod, custody_time_limit

        defendant_id, _youth, _custody, offences, _person = d
        periods, start = [], None
        for k, status in remands:
            day = self.start + dt.timedelta(days=hearings[k][0])
            if status == "C" and start is None:
                start = day
            elif status != "C" and start is not None:
                periods.append(CustodyPeriod(start=start, end=day))
                start = None
        if start is not None:
            periods.append(CustodyPeriod(start=start, end=None))
        first = self.start + dt.timedelta(days=hearings[0][0])
        as_date = lambda s: None if s == N else dt.date.fromisoformat(s)  # noqa: E731
        computed = f"{self.date_s[self.today_i]} 06:00:00+00"
        for offence_id, entry, _ in offences:
            result = custody_time_limit(CtlFacts(
                mode_of_trial=entry[3], custody=tuple(periods), sent_on=as_date(sent_date) if sent else None,
                first_appearance_on=first, convicted_on=as_date(conviction) if guilty else None,
                concluded=fin != N), today=self.today, is_working_day=self.is_working_day)
            out["custody_custodytimelimit"].append(
                f"{offence_id}\t{defendant_id}\t{'t' if result.running else 'f'}\t{result.stage or ''}\t"
                f"{result.limit_days if result.limit_days is not None else N}\t"
                f"{result.expiry.isoformat() if result.expiry else N}\t{result.days_spent}\t{N}\t"
                f"{_esc(result.explanation[:500])}\t{_esc(result.source[:100])}\t{computed}\n")

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.ref.holidays


def asn_check(base: str) -> str:
    from courts.cases.identifiers import asn_check_character

    return asn_check_character(base)


def pnc_check(year: str, serial: str) -> str:
    from courts.cases.identifiers import pnc_check_character

    return pnc_check_character(year, serial)


def _old(day: int, start: dt.date) -> str:
    return (start + dt.timedelta(days=day)).isoformat()


# --- loading -------------------------------------------------------------------------------------------

# Rooms and sittings are shared between chunks (a later case is listed in an earlier chunk's sitting):
# they are committed first, in chunk order, so that the rest of each chunk can load in parallel.
SHARED_TABLES = ("listing_courtroom", "listing_sitting")


def load(conns: list, generator: Generator, stats: Stats, *, progress: bool = True) -> None:
    """COPY every chunk: its rooms and sittings on `conns[0]` in one transaction, then everything else
    in another transaction on one of `conns[1:]`, each on a writer thread, while the generator makes
    the next chunk (at most one chunk per writer waits in memory). With one connection, each chunk is
    one transaction, with no thread."""
    lock = threading.Lock()

    def write(conn, chunk: dict[str, list[str]], tables) -> None:
        seconds: dict[str, float] = {}
        with conn.transaction():
            with conn.cursor() as cur:
                for table in tables:
                    lines = chunk[table]
                    if not lines:
                        continue
                    started = time.perf_counter()
                    with cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                        for i in range(0, len(lines), 20_000):
                            copy.write("".join(lines[i:i + 20_000]))
                    seconds[table] = time.perf_counter() - started
            started = time.perf_counter()
        # Committing runs the foreign-key checks, which Django declares DEFERRABLE INITIALLY DEFERRED.
        seconds[COMMIT] = time.perf_counter() - started
        with lock:
            for table, value in seconds.items():
                stats.copy_seconds[table] += value
                if table != COMMIT:
                    stats.rows[table] += len(chunk[table])

    chunks = generator.chunks()
    total = generator.n_cases
    started = time.perf_counter()
    done = 0

    def report() -> None:
        if progress:
            elapsed = time.perf_counter() - started
            rows = sum(stats.rows.values())
            print(f"  {done:,}/{total:,} cases, {rows:,} rows, {elapsed:.0f}s, {rows / max(elapsed, 1e-9):,.0f} rows/s",
                  flush=True)

    def next_chunk():
        t = time.perf_counter()
        chunk = next(chunks, None)
        stats.generate_seconds += time.perf_counter() - t
        return chunk

    if len(conns) == 1:
        while (chunk := next_chunk()) is not None:
            write(conns[0], chunk, TABLES)
            done += len(chunk["cases_prosecutioncase"])
            report()
        return
    rest = tuple(t for t in TABLES if t not in SHARED_TABLES)
    pending: queue.Queue = queue.Queue(maxsize=len(conns) - 1)
    failure: list[BaseException] = []

    def writer(conn) -> None:
        nonlocal done
        while (chunk := pending.get()) is not None:
            if failure:
                continue
            try:
                write(conn, chunk, rest)
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                failure.append(error)
                continue
            with lock:
                done += len(chunk["cases_prosecutioncase"])
                if done // generator.chunk % 10 == 0 or done == total:
                    report()

    threads = [threading.Thread(target=writer, args=(conn,), name=f"copy-writer-{i}", daemon=True)
               for i, conn in enumerate(conns[1:])]
    for thread in threads:
        thread.start()
    try:
        while not failure and (chunk := next_chunk()) is not None:
            write(conns[0], chunk, SHARED_TABLES)
            pending.put(chunk)
    finally:
        for _ in threads:
            pending.put(None)
        for thread in threads:
            thread.join()
    if failure:
        raise failure[0]


def generate(conns: list, *, scale: float, seed: int = DEFAULT_SEED, today: dt.date | None = None,
             chunk: int = 5000, progress: bool = False) -> Stats:
    """Generate and COPY the data set through `conns` (psycopg connections to the database Django uses,
    migrated and with the reference data loaded; see `load` for how more than one is used), then
    ANALYZE. Returns the rows and seconds per table."""
    from courts.common.clock import court_today

    today = today or court_today()
    stats = Stats()
    started = time.perf_counter()
    ref = read_reference(seed=seed)
    stats.reference_seconds = time.perf_counter() - started
    generator = Generator(ref, scale=scale, seed=seed, today=today, chunk=chunk)
    load(conns, generator, stats, progress=progress)
    started = time.perf_counter()
    with conns[0].cursor() as cur:
        for table in TABLES:
            cur.execute(f"ANALYZE {table}")
    stats.copy_seconds["ANALYZE"] = time.perf_counter() - started
    return stats


def smoke_check(*, seed: int = DEFAULT_SEED) -> list[str]:
    """Read generated cases back through the real selectors, as the operator's system actor."""
    from courts.cases.models import ProsecutionCase
    from courts.cases.selectors import CaseSearch, case_get_for_actor, case_search
    from courts.common.actor import Actor
    from courts.custody.selectors import ctl_for_defendants, remand_current_for_defendants

    actor = Actor.system(ACTOR_LABEL)
    rng = random.Random(seed)
    count = ProsecutionCase.objects.count()
    lines = []
    picks = ProsecutionCase.objects.order_by("id").values_list("id", "urn")
    for offset in sorted({0, count - 1, *(rng.randrange(count) for _ in range(3))}):
        case_id, urn = picks[offset]
        found = case_search(actor=actor, search=CaseSearch(urn=urn))
        assert any(c.id == case_id for c in found), f"case_search by URN {urn} did not find case {case_id}"
        case = case_get_for_actor(actor=actor, case_id=case_id)
        defendants = list(case.defendants.all())
        assert defendants, f"case {urn} has no defendants"
        ids = [d.id for d in defendants]
        remand_current_for_defendants(defendant_ids=ids)
        ctl_for_defendants(defendant_ids=ids)
        offences = sum(len(d.offences.all()) for d in defendants)
        lines.append(f"{urn}: {case.status}, {len(defendants)} defendant(s), {offences} offence(s)")
    return lines


def report(stats: Stats, wall: float) -> str:
    lines = [f"{'table':<30} | {'rows':>12} | {'COPY s':>8} | {'rows/s':>10}", f"{'-' * 30}-|-{'-' * 12}-|-{'-' * 8}-|-{'-' * 10}"]
    for table in TABLES:
        rows, seconds = stats.rows[table], stats.copy_seconds[table]
        lines.append(f"{table:<30} | {rows:>12,} | {seconds:>8.1f} | {rows / seconds if seconds else 0:>10,.0f}")
    total = sum(stats.rows.values())
    lines.append(f"{'-' * 30}-|-{'-' * 12}-|-{'-' * 8}-|-{'-' * 10}")
    lines.append(f"{'commit (foreign-key checks)':<30} | {'':>12} | {stats.copy_seconds[COMMIT]:>8.1f} |")
    copy = sum(v for k, v in stats.copy_seconds.items() if k != "ANALYZE")
    lines.append(f"{'all tables, COPY + commit':<30} | {total:>12,} | {copy:>8.1f} | {total / copy if copy else 0:>10,.0f}")
    lines.append(f"{'Python generation (overlapped)':<30} | {'':>12} | {stats.generate_seconds:>8.1f} | "
                 f"{total / stats.generate_seconds if stats.generate_seconds else 0:>10,.0f}")
    lines.append(f"{'ANALYZE':<30} | {'':>12} | {stats.copy_seconds['ANALYZE']:>8.1f} |")
    lines.append(f"{'reading reference, organisations':<30} | {'':>12} | {stats.reference_seconds:>8.1f} |")
    lines.append(f"{'wall clock, end to end':<30} | {total:>12,} | {wall:>8.1f} | {total / wall if wall else 0:>10,.0f}")
    return "\n".join(lines)


# --- the command -----------------------------------------------------------------------------------

def check_database_name(url: str) -> str:
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The data set is generated into PostgreSQL: --database-url postgres://...")
    name = urlparse(url).path.lstrip("/")
    if not name or name in ("postgres", "root") or name.startswith(("template", "test")):
        raise SystemExit(f"Refusing database {name!r}: use a scratch database such as courts_bench")
    return name


def prepare_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            print(f"Creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.001,
                        help="fraction of the national five years: 1.0 = ~7.5M cases (default 0.001)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the last day of the five years; hearings before it are heard (default: today)")
    parser.add_argument("--chunk", type=int, default=5000, help="cases per COPY transaction (default 5,000)")
    parser.add_argument("--writers", type=int, default=2,
                        help="connections loading chunks in parallel, besides the one for rooms and sittings "
                             "(default 2)")
    parser.add_argument("--reset", action="store_true", help="empty the tables it writes first")
    parser.add_argument("--generate-only", action="store_true",
                        help="generate the rows and count them, without loading them: Python's rate alone")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 2 or args.chunk < 1 or args.writers < 1:
        parser.error("--scale must be in (0, 2], --chunk and --writers positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_database_name(args.database_url)
    wall_started = time.perf_counter()
    prepare_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command

    from courts.common.clock import court_today

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)
    print(f"Migrated and loaded the reference data in {time.perf_counter() - started:.1f}s", flush=True)
    from courts.cases.models import ProsecutionCase
    from courts.listing.models import CourtRoom

    if args.generate_only:
        today = args.today or court_today()
        generator = Generator(read_reference(seed=args.seed), scale=args.scale, seed=args.seed, today=today,
                              chunk=args.chunk)
        rows: Counter = Counter()
        started = time.perf_counter()
        for chunk in generator.chunks():
            rows.update({table: len(lines) for table, lines in chunk.items()})
        seconds = time.perf_counter() - started
        for table in TABLES:
            print(f"{table:<30} | {rows[table]:>12,}")
        print(f"Generated {rows.total():,} rows in {seconds:.1f}s without loading them: "
              f"{rows.total() / seconds:,.0f} rows/s")
        return 0

    conns = [psycopg.connect(args.database_url, autocommit=True) for _ in range(1 + args.writers)]
    with conns[0] as conn:
        if args.reset:
            conn.execute("TRUNCATE " + ", ".join(RESET_TABLES) + " CASCADE")
        elif ProsecutionCase.objects.exists() or CourtRoom.objects.exists():
            raise SystemExit("The database already holds cases or court rooms: --reset empties the tables this "
                             "writes")
        today = args.today or court_today()
        print(f"Generating {max(1, round(FULL_CASES * args.scale)):,} cases over the five years to {today} "
              f"(seed {args.seed}, chunks of {args.chunk:,})", flush=True)
        gen_started = time.perf_counter()
        stats = generate(conns, scale=args.scale, seed=args.seed, today=today, chunk=args.chunk, progress=True)
        generated = time.perf_counter() - gen_started
    for other in conns[1:]:
        other.close()
    for line in smoke_check(seed=args.seed):
        print(f"smoke check: {line}")
    size = psycopg.connect(args.database_url).execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                                                      ).fetchone()[0]
    print()
    print(f"bench/dataset.py {' '.join(sys.argv[1:])}: {sum(stats.rows.values()):,} rows in {generated:.1f}s "
          f"(generation and COPY), database now {size}; {time.perf_counter() - wall_started:.0f}s in all")
    print(report(stats, generated))
    return 0


if __name__ == "__main__":
    sys.exit(main())
