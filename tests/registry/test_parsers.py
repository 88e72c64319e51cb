from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.ru import inn, ogrn

from creative_regions.registry.identifiers import is_valid_inn, is_valid_ogrn
from creative_regions.registry.parsers import (
    FileParse,
    FileRejected,
    iter_register_batches,
)
from tests.registry.builders import document, register_file, valid_inn

SAMPLE = Path(__file__).parent / "data" / "rsmp_sample.xml"


def parse_bytes(content: bytes, name: str = "f.xml") -> tuple[list[dict], FileParse]:
    import io

    parse = FileParse(name)
    tables = list(
        iter_register_batches(io.BytesIO(content), file_name=name, parse=parse)
    )
    rows = pa.concat_tables(tables).to_pylist() if tables else []
    return rows, parse


def test_the_real_format_sample_parses_to_the_expected_rows():
    rows, parse = parse_bytes(SAMPLE.read_bytes(), "sample.xml")

    assert parse.declared_count == parse.document_count == 5
    assert parse.quarantined == []
    assert [
        (
            row["inn"],
            row["kind"],
            row["category"],
            row["region_code"],
            row["okved_main"],
        )
        for row in rows
    ] == [
        ("7704123450", "legal_entity", "micro", "77", "62.01"),
        ("7802212348", "legal_entity", "small", "78", "33.15"),
        ("1655123453", "legal_entity", "medium", "16", "28.29.12"),
        ("5406123450", "legal_entity", "micro", "54", "10.71"),
        ("665212345681", "sole_trader", "micro", "66", "47.91"),
    ]
    first, _, kazan, bakery, trader = rows
    assert first["name"] == 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ПРИМЕР СОФТ"'
    assert first["okved_extra"] == ["62.02", "63.11.1"]
    assert first["employees"] == 7 and first["snapshot_date"] == date(2026, 7, 10)
    assert (
        first["included_date"] == date(2017, 8, 10) and first["ogrn"] == "1177746123455"
    )
    assert first["is_ogrn_valid"] is True and first["okved_version"] == "2014"
    assert kazan["city"] == "КАЗАНЬ" and kazan["is_okved_from_reports"] is False
    assert (
        bakery["employees"] is None
        and bakery["is_new"]
        and bakery["is_social_enterprise"]
    )
    assert trader["name"] == "ОБРАЗЦОВА МАРИЯ ТЕСТОВНА"
    assert (trader["district"], trader["settlement"]) == ("СЫСЕРТСКИЙ", "ОБРАЗЦОВО")
    assert trader["ogrn"] == "324665800012342" and trader["employees"] == 0
    assert all(row["source_file"] == "sample.xml" for row in rows)


def test_okved_from_reports_is_used_when_the_main_block_has_none():
    content = register_file(
        [
            document(doc_id="a", okved=None).replace(
                "</Документ>",
                '<СвОКВЭДотч><СвОКВЭДОсн КодОКВЭД="25.62" ВерсОКВЭД="2014"/></СвОКВЭДотч>'
                "</Документ>",
            )
        ],
        file_id="f",
    )

    rows, _ = parse_bytes(content.encode())

    assert rows[0]["okved_main"] == "25.62" and rows[0]["is_okved_from_reports"] is True


@pytest.mark.parametrize(
    "changes,reason,detail",
    [
        ({"inn": None}, "missing_inn", "The INN is missing."),
        (
            {"inn": "7704123451"},
            "invalid_inn",
            "INN 7704123451 fails its checksum or length.",
        ),
        (
            {"inn": "770412345"},
            "invalid_inn",
            "INN 770412345 fails its checksum or length.",
        ),
        ({"region": None}, "missing_region", "СведМН has no КодРегион."),
        ({"region": "7A"}, "invalid_region", "КодРегион '7A' is not 2 digits."),
        ({"snapshot": "2026-07-10"}, "bad_date", "ДатаСост is '2026-07-10'."),
        ({"included": "31.02.2020"}, "bad_date", "ДатаВклМСП is '31.02.2020'."),
        ({"kind": "9"}, "bad_kind", "ВидСубМСП is '9'."),
        ({"headcount": "семь"}, "bad_number", "ССЧР is 'семь', not a whole number."),
    ],
)
def test_bad_records_go_to_the_quarantine_with_their_reason(changes, reason, detail):
    good = document(doc_id="good", inn=valid_inn(1))
    bad = document(doc_id="bad", **changes)

    rows, parse = parse_bytes(register_file([good, bad], file_id="f").encode())

    assert [row["document_id"] for row in rows] == ["good"]
    assert [(q.document_id, q.reason, q.detail) for q in parse.quarantined] == [
        ("bad", reason, detail)
    ]


def test_invalid_ogrn_is_kept_and_flagged():
    rows, parse = parse_bytes(
        register_file(
            [document(doc_id="x", ogrn="1177746123456")], file_id="f"
        ).encode()
    )

    assert parse.quarantined == []
    assert rows[0]["ogrn"] == "1177746123456" and rows[0]["is_ogrn_valid"] is False


def test_region_code_is_zero_padded():
    rows, _ = parse_bytes(
        register_file(
            [document(doc_id="x", region="2", inn=valid_inn(5))], file_id="f"
        ).encode()
    )

    assert rows[0]["region_code"] == "02"


def test_declared_count_mismatch_is_visible():
    _, parse = parse_bytes(
        register_file([document(doc_id="x")], file_id="f", declared=3).encode()
    )

    assert (parse.declared_count, parse.document_count, parse.count_mismatch) == (
        3,
        1,
        True,
    )


BILLION_LAUGHS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Файл КолДок="1"><ИдОтпр/><Документ ИдДок="&lol9;" ДатаСост="10.07.2026" ВидСубМСП="1">
<ОргВклМСП НаимОрг="&lol9;" ИННЮЛ="7704123450"/><СведМН КодРегион="77"/></Документ></Файл>
""".encode()


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    with pytest.raises(FileRejected) as raised:
        parse_bytes(BILLION_LAUGHS)

    assert "DTD" in raised.value.message or "entities" in raised.value.message


def test_external_entity_is_refused_and_nothing_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    content = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE Файл [<!ENTITY xxe SYSTEM "file://{secret}">]>
<Файл КолДок="1"><Документ ИдДок="x" ДатаСост="10.07.2026" ВидСубМСП="1">
<ОргВклМСП НаимОрг="&xxe;" ИННЮЛ="7704123450"/><СведМН КодРегион="77"/></Документ></Файл>
""".encode()

    with pytest.raises(FileRejected) as raised:
        parse_bytes(content)

    assert "TOP-SECRET" not in raised.value.message


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04 binary junk", "The file is not XML."),
        (
            '<?xml version="1.0" encoding="utf-8"?><Root><Документ ИдДок="1"/></Root>'.encode(),
            "The root element is <Root>, not <Файл>: not a file of the SME register.",
        ),
        (
            '<?xml version="1.0" encoding="utf-8"?><Файл ТипИнф="ОТКРДАННЫЕ3"></Файл>'.encode(),
            "ТипИнф is 'ОТКРДАННЫЕ3', not 'РЕЕСТРМСП': this file belongs to another dataset.",
        ),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(content, message):
    with pytest.raises(FileRejected) as raised:
        parse_bytes(content)

    assert raised.value.message == message


def test_encoding_that_does_not_match_the_declaration_is_refused():
    content = register_file([document(doc_id="x")], file_id="f").encode("cp1251")

    with pytest.raises(FileRejected) as raised:
        parse_bytes(content)

    assert raised.value.message.startswith(
        "The bytes do not match the declared encoding"
    )


def test_truncated_file_is_refused():
    content = register_file([document(doc_id="x")], file_id="f").encode()

    with pytest.raises(FileRejected) as raised:
        parse_bytes(content[: len(content) // 2])

    assert raised.value.message.startswith("The XML is malformed or truncated: ")


digits = st.text(st.sampled_from("0123456789"), min_size=8, max_size=16)


@given(digits)
def test_fast_identifier_checks_agree_with_stdnum(value):
    assert is_valid_inn(value) == inn.is_valid(value)
    assert is_valid_ogrn(value) == ogrn.is_valid(value)


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r", "utf-16"])
def test_a_declared_encoding_is_honoured(encoding):
    text = register_file(
        [document(doc_id="x", name='ООО "ЁЛКА"')], file_id="f"
    ).replace('encoding="utf-8"', f'encoding="{encoding}"')

    rows, _ = parse_bytes(text.encode(encoding))

    assert [row["name"] for row in rows] == ['ООО "ЁЛКА"']


def test_an_unknown_encoding_is_refused_by_name():
    text = register_file([document(doc_id="x")], file_id="f").replace(
        'encoding="utf-8"', 'encoding="x-no-such-encoding"'
    )

    with pytest.raises(FileRejected) as raised:
        parse_bytes(text.encode())

    assert raised.value.message.startswith("The declared encoding is not supported")
