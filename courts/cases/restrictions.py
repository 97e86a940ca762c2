"""Reporting restrictions: the legal bases a court records, what each one protects, and what it
withholds from people who do not need the restricted parts (RULES.md §B.8; docs/adr/0004).

One table, `BASES`: each basis names its Act, its kind, and what it may be recorded on. What is
withheld follows from where it is recorded:

- on a defendant: their identity (name to initials; date of birth, address and bail conditions
  withheld);
- on an offence: its wording (it can name the complainant or witness);
- on the case: the case is kept off public lists and anonymous on press lists, nothing more.

A defendant under 18 today is treated as restricted whether or not a direction is recorded (CYPA
1933 s.49 is automatic in the youth court; a youth in an adult court is protected as if directed).
"""

from dataclasses import dataclass

from courts.cases.enums import RestrictionKind, RestrictionTarget


@dataclass(frozen=True)
class Basis:
    code: str
    kind: RestrictionKind
    act: str  # the legal source, as shown to people and cited in withheld text
    label: str  # what the court calls it
    targets: tuple[RestrictionTarget, ...]


BASES: dict[str, Basis] = {b.code: b for b in (
    # Automatic in the youth court, for any child concerned; can be dispensed with (CYPA 1933 s.49(4A)).
    Basis("cypa_1933_s49", RestrictionKind.YOUTH, "Children and Young Persons Act 1933 s.49",
          "Youth court proceedings", (RestrictionTarget.DEFENDANT,)),
    # A direction for a person under 18 in an adult court, until they are 18 (YJCEA 1999 s.45).
    Basis("yjcea_1999_s45", RestrictionKind.YOUTH, "Youth Justice and Criminal Evidence Act 1999 s.45",
          "Direction for a person under 18 in an adult court", (RestrictionTarget.DEFENDANT,)),
    # A witness anonymity order (Coroners and Justice Act 2009 s.86): the witness's identity is withheld.
    Basis("cja_2009_s86", RestrictionKind.ANONYMITY_ORDER, "Coroners and Justice Act 2009 s.86",
          "Witness anonymity order", (RestrictionTarget.OFFENCE, RestrictionTarget.CASE)),
    # A reporting direction for an adult witness in fear or distress, lifelong (YJCEA 1999 s.46).
    Basis("yjcea_1999_s46", RestrictionKind.ANONYMITY_ORDER, "Youth Justice and Criminal Evidence Act 1999 s.46",
          "Reporting direction for an adult witness", (RestrictionTarget.OFFENCE, RestrictionTarget.CASE)),
    # Lifelong anonymity of the complainant of a listed sexual offence, from the allegation (SO(A)A 1992 s.1).
    Basis("soaa_1992_s1", RestrictionKind.SEXUAL_OFFENCE_COMPLAINANT, "Sexual Offences (Amendment) Act 1992 s.1",
          "Anonymity of a sexual offence complainant", (RestrictionTarget.OFFENCE,)),
    # An order postponing reports of the proceedings (Contempt of Court Act 1981 s.4(2)).
    Basis("cca_1981_s4_2", RestrictionKind.COURT_ORDER, "Contempt of Court Act 1981 s.4(2)",
          "Order postponing reports", (RestrictionTarget.CASE,)),
    # An order withholding a name or matter from the public (Contempt of Court Act 1981 s.11).
    Basis("cca_1981_s11", RestrictionKind.COURT_ORDER, "Contempt of Court Act 1981 s.11",
          "Order withholding a name or matter", (RestrictionTarget.CASE, RestrictionTarget.DEFENDANT,
                                                 RestrictionTarget.OFFENCE)),
)}

# A defendant under 18 with no direction recorded: the youth court's automatic restriction, or the
# protection a court gives a youth in an adult court (CYPA 1933 s.49; YJCEA 1999 s.45).
AUTOMATIC_YOUTH_ACTS = "Children and Young Persons Act 1933 s.49; Youth Justice and Criminal Evidence Act 1999 s.45"


def withheld_wording(act: str) -> str:
    return f"Wording withheld: reporting restriction ({act})"


def initials(*names: str) -> str:
    """"Jo Anne Smith" → "J. A. S." (for a defendant whose identity is withheld)."""
    return " ".join(f"{part[0].upper()}." for name in names for part in name.split() if part)
