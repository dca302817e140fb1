"""Synthetic MAGDA documents of GeefHistoriekInschrijving 02.01: requests and answers.

Structurally like the service's own mock answers (Informatievlaanderen/MAGDA-Mock), but every
value is made here: national numbers from `make_insz`, institutions, addresses and references
invented. `request_xml` and `answer_xml` return the document as bytes, bare or in a SOAP 1.1
envelope; both conform to the service's XSD (read/magda/xsd/). `magda_document` writes
the document `datacontract sample` stands for when asked for `.xml`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from datacontract.contract import model
from datacontract.errors import UsageError
from datacontract.personal.insz import make_insz

MAX_ENROLMENTS = 99
"""The most enrolments one answer lists: the service's XSD says so (InschrijvingComplex.xsd,
`Inschrijving` maxOccurs 99; one `Antwoord` per answer). A sample of more rows writes this many,
and says so: more would be a document the service never sends, refused by its own schema."""

NS = "http://webservice.geefhistoriekinschrijvingdienst-02_01.onderwijs.vlaanderen.be"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def student_insz(birth: dt.date, sequence: int = 101) -> str:
    """A synthetic national number of a student born on `birth`."""
    return make_insz(birth, sequence)


def _context(kind: str, on: dt.date) -> str:
    return (
        "<Context><Naam>GeefHistoriekInschrijving</Naam><Versie>02.01.0000</Versie>"
        f"<Bericht><Type>{kind}</Type><Tijdstip><Datum>{on.isoformat()}</Datum>"
        "<Tijd>10:19:11.537</Tijd></Tijdstip>"
        "<Afzender><Identificatie>vip.vlaanderen.be</Identificatie>"
        "<Referte>synthetic-ref-1</Referte></Afzender></Bericht></Context>"
    )


def _wrap(body: str, soap: bool) -> bytes:
    if not soap:
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<soapenv:Envelope xmlns:soapenv="{SOAP}">'
        f"<soapenv:Header/><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def request_xml(
    insz: str,
    on: dt.date,
    begin: dt.date,
    end: dt.date,
    *,
    soap: bool = True,
) -> bytes:
    """A request for the enrolment history of the student `insz` between `begin` and `end`,
    dated `on`."""
    body = (
        f'<web:GeefHistoriekInschrijving xmlns:web="{NS}"><Verzoek>{_context("VRAAG", on)}'
        "<Vragen><Vraag><Referte>q1</Referte><Inhoud><Criteria>"
        f"<INSZ>{insz}</INSZ><Periode><Begin>{begin.isoformat()}</Begin>"
        f"<Einde>{end.isoformat()}</Einde></Periode></Criteria></Inhoud></Vraag></Vragen>"
        "</Verzoek></web:GeefHistoriekInschrijving>"
    )
    return _wrap(body, soap)


def _enrolment(rng: random.Random, extra: str = "") -> str:
    number = rng.randint(100000, 999999)
    year = rng.randint(2010, 2024)
    return (
        "<Inschrijving><Bron>HO</Bron>"
        f"<Referte>{uuid.UUID(int=rng.getrandbits(128))}</Referte>"
        f"<Instelling><Instellingsnummer>{number}</Instellingsnummer>"
        f"<OfficieleNaam>Hogeschool Synthetica {number % 97}</OfficieleNaam>"
        "<Adres><Straat><Naam>Voorbeeldstraat</Naam></Straat><Huisnummer>1</Huisnummer>"
        "<Gemeente><PostCode>9000</PostCode><Naam>Gent</Naam></Gemeente></Adres>"
        "<Contactgegevens><Telefoonnummer>092345678</Telefoonnummer>"
        "<Email>info@synthetica.example</Email></Contactgegevens></Instelling>"
        f"<HogerOnderwijs><Academiejaar>{year}</Academiejaar>"
        "<Status><Code>01</Code><Omschrijving>Actief</Omschrijving></Status>"
        f"<DatumInschrijving>{year}-09-20</DatumInschrijving>"
        "<Opleiding><Code>1234</Code><VolledigeNaam>Bachelor in de synthese</VolledigeNaam>"
        "<NaamElementen><Graad>Bachelor</Graad><Kwalificatie>synthese</Kwalificatie>"
        "</NaamElementen><Soort><Code>1</Code>"
        "<Omschrijving>Professioneel gerichte bachelor</Omschrijving>"
        "</Soort></Opleiding>"
        "<SoortContract><Code>01</Code><Omschrijving>Diplomacontract</Omschrijving>"
        "</SoortContract><Studiepunten><Opgenomen>60</Opgenomen><Verworven>54</Verworven>"
        "<Gedelibereerd>6</Gedelibereerd><GeenResultaat>0</GeenResultaat>"
        "<NietVerworven>0</NietVerworven><Vrijgesteld>0</Vrijgesteld>"
        "<Uitgeschreven>0</Uitgeschreven></Studiepunten><Studieomvang>180</Studieomvang>"
        "<ToereikendeStudieomvang>1</ToereikendeStudieomvang>"
        f"<StudiebewijsHaalbaar>1</StudiebewijsHaalbaar>{extra}</HogerOnderwijs>"
        "</Inschrijving>"
    )


def answer_xml(
    on: dt.date, enrolments: int, *, seed: int = 0, soap: bool = False, extra: str = ""
) -> bytes:
    """An answer dated `on` listing `enrolments` synthetic enrolments (0: an exception
    'no data found' instead). `extra` is inserted in the last enrolment's HogerOnderwijs
    element (tests mutate answers with it)."""
    rng = random.Random(seed)
    if enrolments:
        rows = "".join(
            _enrolment(rng, extra if i == enrolments - 1 else "") for i in range(enrolments)
        )
        content = f"<Inhoud><Inschrijvingen>{rows}</Inschrijvingen></Inhoud>"
    else:
        content = (
            "<Uitzonderingen><Uitzondering><Identificatie>30101</Identificatie>"
            "<Oorsprong>DHO</Oorsprong><Type>FOUT</Type>"
            "<Diagnose>Geen gegevens gevonden voor de vraag.</Diagnose>"
            "</Uitzondering></Uitzonderingen>"
        )
    body = (
        f'<web:GeefHistoriekInschrijvingResponse xmlns:web="{NS}"><Repliek>'
        f"{_context('ANTWOORD', on)}<Antwoorden><Antwoord><Referte>q1</Referte>{content}"
        "</Antwoord></Antwoorden></Repliek></web:GeefHistoriekInschrijvingResponse>"
    )
    return _wrap(body, soap)


def _first(row: dict[str, object], suffix: str) -> object:
    return next((v for k, v in row.items() if k.endswith(suffix) and v is not None), None)


def _day(value: object, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return default


def rows_cap(dataset: model.Dataset) -> int | None:
    """How many rows the dataset's MAGDA document can hold (an answer: MAX_ENROLMENTS), or
    None when it is not capped (not MAGDA; a request takes its one student from the first)."""
    if dataset.magda is not None and dataset.magda.element == "GeefHistoriekInschrijvingResponse":
        return MAX_ENROLMENTS
    return None


def magda_document(dataset: model.Dataset, rows: list[dict[str, object]], seed: int = 0) -> bytes:
    """The MAGDA document a dataset's sampled rows stand for, in the service's own shape.

    A request (GeefHistoriekInschrijving) takes its student, date and period from the first
    row (the rules make them one per file); an answer (…Response) lists one synthetic
    enrolment per row, dated like the row's context date when it is one, else today (no row:
    the service's 'no data found' exception). Another MAGDA service cannot be written.
    """
    magda = dataset.magda
    if magda is None:
        raise UsageError(f"{dataset.id} is no MAGDA document: .xml is only for MAGDA datasets")
    today = dt.date.today()
    first = rows[0] if rows else {}
    on = _day(_first(first, "Context/Bericht/Tijdstip/Datum"), today)
    if magda.element == "GeefHistoriekInschrijving":
        insz = _first(first, "Criteria/INSZ")
        if insz is None:
            raise UsageError(f"{dataset.id}: a request names one student; sample at least a row")
        begin = _day(_first(first, "Periode/Begin"), on.replace(year=on.year - 5))
        end = _day(_first(first, "Periode/Einde"), max(begin, on))
        return request_xml(str(insz), on, begin, end)
    if magda.element == "GeefHistoriekInschrijvingResponse":
        return answer_xml(on, min(len(rows), MAX_ENROLMENTS), seed=seed)
    raise UsageError(f"{dataset.id}: cannot write the MAGDA document {magda.element}")
