"""The compiled register reader against an independent reading of the same bytes
by lxml, over the ways one valid XML file can be written: attribute order, quotes,
character references, comments, processing instructions, text, whitespace, unknown
elements, and decoys — our element names where the register does not put them."""

import io
import random

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from stdnum.ru import inn, ogrn

from creative_regions.registry import _register_xml
from creative_regions.registry.parsers import FileParse, iter_register_batches
from tests.registry.builders import valid_inn

NAME_CHARACTERS = st.sampled_from(list("АБВЖЯЁабя ёABz09\"'&<>-№«»\t"))


def escape(value: str, quote: str, rng: random.Random) -> str:
    """The value as an attribute in ``quote``, each character written plainly or as
    a character reference, at random."""
    out = []
    for character in value:
        must_escape = character in "&<" or character == quote or character == "\t"
        if must_escape or rng.random() < 0.2:
            named = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
            out.append(
                named.get(character)
                if character in named and rng.random() < 0.5
                else f"&#{ord(character)};"
            )
        else:
            out.append(character)
    return "".join(out)


def element(
    tag: str, attributes: dict[str, str], rng: random.Random, children: str = ""
) -> str:
    items = list(attributes.items())
    rng.shuffle(items)
    parts = []
    for key, value in items:
        quote = rng.choice("\"'")
        spaces = rng.choice([" ", "\n  ", "\t"])
        equals = rng.choice(["=", " = "])
        parts.append(f"{spaces}{key}{equals}{quote}{escape(value, quote, rng)}{quote}")
    opening = f"<{tag}{''.join(parts)}{rng.choice(['', ' '])}"
    if not children and rng.random() < 0.5:
        return opening + "/>"
    return f"{opening}>{children}</{tag}>"


def noise(rng: random.Random) -> str:
    return rng.choice(
        [
            "",
            "\n",
            "<!-- <Документ ИдДок='comment'/> -->",
            "<?pi <СведМН КодРегион='99'?>",
            "<![CDATA[<ОргВклМСП ИННЮЛ='7704123450'/>]]>",
            "text",
            "<Прочее><Город Наим='DECOY'/><СвОКВЭДОсн КодОКВЭД='99.99'/></Прочее>",
        ]
    )


documents = st.fixed_dictionaries(
    {
        "is_person": st.booleans(),
        "number": st.integers(0, 9_999_999),
        "region": st.sampled_from(["77", "16", "01", "7", " 5 "]),
        "name": st.text(NAME_CHARACTERS, max_size=20),
        "city": st.none() | st.text(NAME_CHARACTERS, min_size=1, max_size=8),
        "district": st.none() | st.text(NAME_CHARACTERS, min_size=1, max_size=8),
        "okved": st.none() | st.sampled_from(["62.01", "58.11", "90.01"]),
        "extra": st.lists(st.sampled_from(["62.02", "74.10", "73.11"]), max_size=3),
        "reports_okved": st.none() | st.sampled_from(["47.91", "32.12"]),
        "headcount": st.none() | st.integers(0, 5000).map(str),
    }
)


def write_document(spec: dict, index: int, rng: random.Random) -> str:
    attributes = {
        "ИдДок": f"doc-{index}",
        "ДатаСост": "10.01.2025",
        "ДатаВклМСП": "10.08.2016",
        "ВидСубМСП": "2" if spec["is_person"] else "1",
        "КатСубМСП": "1",
        "ПризНовМСП": "2",
        "СведСоцПред": "2",
    }
    if spec["headcount"] is not None:
        attributes["ССЧР"] = spec["headcount"]
    if spec["is_person"]:
        person_inn = valid_inn(spec["number"]) + "00"
        person_inn = person_inn[:10] + _person_check_digits(person_inn[:10])
        subject = element(
            "ИПВклМСП",
            {"ИННФЛ": person_inn, "ОГРНИП": "304703401944046"},
            rng,
            noise(rng)
            + element(
                "ФИОИП",
                {"Фамилия": spec["name"] or "Ф", "Имя": "ИМЯ", "Отчество": "О"},
                rng,
            ),
        )
    else:
        subject = element(
            "ОргВклМСП",
            {
                "ИННЮЛ": valid_inn(spec["number"]),
                "ОГРН": "1177746123455",
                "НаимОрг": spec["name"],
            },
            rng,
        )
    places = element("Регион", {"Тип": "ОБЛАСТЬ", "Наим": "Р"}, rng)
    if spec["district"] is not None:
        places += element("Район", {"Наим": spec["district"]}, rng)
    if spec["city"] is not None:
        places += noise(rng) + element("Город", {"Наим": spec["city"]}, rng)
    place = element("СведМН", {"КодРегион": spec["region"]}, rng, places)
    activities = ""
    if spec["okved"] is not None:
        activities += element(
            "СвОКВЭДОсн", {"КодОКВЭД": spec["okved"], "ВерсОКВЭД": "2014"}, rng
        )
    for code in spec["extra"]:
        activities += noise(rng) + element(
            "СвОКВЭДДоп", {"КодОКВЭД": code, "ВерсОКВЭД": "2014"}, rng
        )
    body = [subject, place]
    if activities:
        body.append(element("СвОКВЭД", {}, rng, activities))
    if spec["reports_okved"] is not None:
        body.append(
            element(
                "СвОКВЭДотч",
                {},
                rng,
                element("СвОКВЭДОсн", {"КодОКВЭД": spec["reports_okved"]}, rng),
            )
        )
    rng.shuffle(body)
    return element(
        "Документ", attributes, rng, "".join(noise(rng) + part for part in body)
    )


def _person_check_digits(first_ten: str) -> str:
    from stdnum.ru.inn import calc_personal_check_digits

    return calc_personal_check_digits(first_ten)


def reference_rows(content: bytes) -> list[dict]:
    """What the file says, read by lxml with XPath: an independent reading."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    rows = []
    for document in root.findall("Документ"):

        def first(path: str, attribute: str, node=document) -> str | None:
            found = node.find(path)
            return None if found is None else found.get(attribute)

        subject = document.find("ОргВклМСП")
        if subject is not None:
            number, name = subject.get("ИННЮЛ"), subject.get("НаимОрг")
        else:
            subject = document.find("ИПВклМСП")
            person = subject.find("ФИОИП")
            number = subject.get("ИННФЛ")
            name = " ".join(
                part
                for part in (
                    person.get("Фамилия"),
                    person.get("Имя"),
                    person.get("Отчество"),
                )
                if part
            )
        okved = first("СвОКВЭД/СвОКВЭДОсн", "КодОКВЭД")
        reports = first("СвОКВЭДотч/СвОКВЭДОсн", "КодОКВЭД")
        headcount = document.get("ССЧР")
        rows.append(
            {
                "document_id": document.get("ИдДок"),
                "inn": number,
                "name": name,
                "region_code": first("СведМН", "КодРегион").strip().zfill(2),
                "city": first("СведМН/Город", "Наим"),
                "district": first("СведМН/Район", "Наим"),
                "okved_main": okved if okved is not None else reports,
                "is_okved_from_reports": okved is None and reports is not None,
                "okved_extra": [
                    item.get("КодОКВЭД")
                    for item in document.findall("СвОКВЭД/СвОКВЭДДоп")
                ],
                "employees": None if headcount is None else int(headcount),
            }
        )
    return rows


@settings(max_examples=150, deadline=None)
@given(st.lists(documents, min_size=1, max_size=6), st.integers(0, 2**32))
def test_the_reader_agrees_with_an_independent_reading(specs, seed):
    rng = random.Random(seed)
    content = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"<Файл ТипИнф='РЕЕСТРМСП' КолДок='{len(specs)}'>{noise(rng)}"
        "<ИдОтпр><ОргВклМСП ИННЮЛ='7704123450'/><СведМН КодРегион='99'/></ИдОтпр>"
        + "".join(
            noise(rng) + write_document(spec, index, rng)
            for index, spec in enumerate(specs)
        )
        + "</Файл>"
    ).encode()
    parse = FileParse("f.xml")

    tables = list(
        iter_register_batches(io.BytesIO(content), file_name="f.xml", parse=parse)
    )

    rows = pa.concat_tables(tables).to_pylist()
    expected = reference_rows(content)
    assert parse.quarantined == []
    assert parse.document_count == parse.declared_count == len(specs)
    assert [{key: row[key] for key in expected[0]} for row in rows] == expected


digits = st.text(st.sampled_from("0123456789"), min_size=8, max_size=16)


@given(digits)
def test_the_compiled_identifier_checks_agree_with_stdnum(value):
    assert _register_xml.is_valid_inn(value) == inn.is_valid(value)
    assert _register_xml.is_valid_ogrn(value) == ogrn.is_valid(value)


@given(st.integers(0, 10**10 - 1))
def test_every_valid_person_inn_passes_the_compiled_check(number):
    from stdnum.ru.inn import calc_personal_check_digits

    first_ten = f"{number:010d}"
    assert _register_xml.is_valid_inn(first_ten + calc_personal_check_digits(first_ten))


@given(st.integers(10**11, 10**12 - 1) | st.integers(3 * 10**13, 5 * 10**13 - 1))
def test_the_compiled_ogrn_check_agrees_on_numbers_with_a_computed_check_digit(body):
    from stdnum.ru.ogrn import calc_check_digit

    digits = str(body)
    # calc_check_digit wants the whole number; its last digit is ignored.
    check = calc_check_digit(digits + "0")
    candidate = digits + check[-1]
    assert _register_xml.is_valid_ogrn(candidate) == ogrn.is_valid(candidate)
