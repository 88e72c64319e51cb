import csv
import io

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from creative_regions.research.parsers import (
    CODE_PATTERNS,
    EntryRow,
    best_match,
    code_is_covered,
    parse_classification_table,
)

digit = st.sampled_from("0123456789")
okved_codes = st.one_of(
    st.text(digit, min_size=2, max_size=2),
    st.tuples(
        st.text(digit, min_size=2, max_size=2), st.text(digit, min_size=1, max_size=1)
    ).map(".".join),
    st.tuples(
        st.text(digit, min_size=2, max_size=2), st.text(digit, min_size=2, max_size=2)
    ).map(".".join),
    st.tuples(
        st.text(digit, min_size=2, max_size=2),
        st.text(digit, min_size=2, max_size=2),
        st.text(digit, min_size=1, max_size=2),
    ).map(".".join),
)
cell_text = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)


def csv_bytes(rows, header=("okved2", "name", "sector", "source")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@given(okved_codes)
def test_generated_codes_are_valid_okved(code):
    assert CODE_PATTERNS["okved2"].match(code)


@given(
    st.dictionaries(
        okved_codes, st.tuples(cell_text, cell_text), min_size=1, max_size=20
    )
)
def test_valid_csv_round_trips(table):
    rows = [(code, name, sector, "") for code, (name, sector) in table.items()]

    parsed = parse_classification_table(
        csv_bytes(rows), file_name="t.csv", code_system="okved2"
    )

    assert parsed.errors == []
    assert [(row.code, row.name, row.sector) for row in parsed.rows] == [
        (code, name, sector) for code, name, sector, _ in rows
    ]


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_and_never_half_import(content):
    for name in ("x.csv", "x.xlsx"):
        parsed = parse_classification_table(
            content, file_name=name, code_system="okved2"
        )
        assert parsed.rows == [] or parsed.errors == []


@given(okved_codes, st.lists(okved_codes, max_size=15))
def test_best_match_is_the_longest_covering_code(code, class_codes):
    match = best_match(code, class_codes)

    covering = [candidate for candidate in class_codes if code.startswith(candidate)]
    if not covering:
        assert match is None
    else:
        assert match in covering
        assert all(len(match) >= len(candidate) for candidate in covering)


def test_class_covers_its_subclasses_but_not_its_neighbours():
    assert code_is_covered("58.11.2", "58.1")
    assert code_is_covered("58.11", "58.11")
    assert code_is_covered("01.41.11", "01.4")
    assert not code_is_covered("58.21", "58.1")
    assert not code_is_covered("58", "58.1")
    assert best_match("32.12.5", ["32", "32.12", "32.1"]) == "32.12"


def test_row_level_errors_name_row_column_and_problem():
    content = csv_bytes(
        [
            ("58.11", "Издание книг", "Книжное дело", ""),
            ("58.1a", "Плохой код", "Медиа", ""),
            ("", "Без кода", "Медиа", ""),
            ("58.11", "Повтор", "Книжное дело", ""),
            ("90.03", "Без сектора", "", ""),
        ]
    )

    with translation.override("en"):
        parsed = parse_classification_table(
            content, file_name="t.csv", code_system="okved2"
        )

    assert parsed.rows == []
    assert [(error.row, error.field, error.value) for error in parsed.errors] == [
        (3, "okved2", "58.1a"),
        (4, "okved2", ""),
        (5, "okved2", "58.11"),
        (6, "sector", ""),
    ]
    assert parsed.errors[0].message == (
        "“58.1a” is not a code of this system; expected e.g. 58.11, 62.01, 32.99.8."
    )
    assert parsed.errors[2].message == "The code 58.11 repeats row 2."


def test_missing_columns_are_reported_before_rows():
    content = "kod;sektor\n58.11;Книжное дело\n".encode()

    with translation.override("ru"):
        parsed = parse_classification_table(
            content, file_name="t.csv", code_system="okved2"
        )

    assert [(error.row, error.field) for error in parsed.errors] == [
        (1, "code"),
        (1, "sector"),
    ]


def test_semicolon_csv_from_russian_excel_is_read():
    content = (
        "code;sector;confidence\n62.01;Программное обеспечение;inferred-high\n".encode(
            "utf-8-sig"
        )
    )

    parsed = parse_classification_table(
        content, file_name="t.csv", code_system="okved2"
    )

    assert parsed.rows == [
        EntryRow("62.01", "", "Программное обеспечение", "", "inferred_high", "")
    ]


def test_non_utf8_file_is_refused_with_advice():
    content = "code,sector\n58.11,Книжное дело\n".encode("cp1251")

    with translation.override("en"):
        parsed = parse_classification_table(
            content, file_name="t.csv", code_system="okved2"
        )

    assert parsed.errors[0].field == "file"
    assert "not in UTF-8" in parsed.errors[0].message
    assert "CSV UTF-8" in parsed.errors[0].message


def test_confidence_comes_from_the_source_tag_when_no_column():
    content = csv_bytes(
        [
            ("32.99.8", "НХП", "Народные промыслы", "[CONFIRMED-ACTIVITY] Росстат"),
            ("47.78.3", "Сувениры", "Народные промыслы", "[INFERRED-LOW] МЭР"),
            ("74.10", "Дизайн", "Дизайн", "Официальный перечень"),
        ]
    )

    parsed = parse_classification_table(
        content, file_name="t.csv", code_system="okved2"
    )

    assert [row.confidence for row in parsed.rows] == [
        "confirmed",
        "inferred_low",
        "official",
    ]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_and_numeric_codes_are_refused():
    content = xlsx_bytes(
        [
            ["sic2007", "name", "sector"],
            ["74.10", "Design", "Design"],
            [74.1, "Design", "Design"],
        ]
    )

    with translation.override("en"):
        parsed = parse_classification_table(
            content, file_name="t.xlsx", code_system="sic2007"
        )

    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert (error.row, error.field, error.value) == (3, "sic2007", "74.1")
    assert "stored as a number" in error.message


def test_uk_sic_subclass_codes_are_valid():
    content = xlsx_bytes([["sic", "sector"], ["58.29/1", "IT"], ["62.01", "IT"]])

    parsed = parse_classification_table(
        content, file_name="t.xlsx", code_system="sic2007"
    )

    assert parsed.errors == []
    assert best_match("58.29/1", ["58.29"]) == "58.29"


def test_delimiter_comes_from_the_header_outside_quotes():
    content = 'code;sector;"note, comma"\n58.11;Книжное дело;"a, b"\n'.encode()

    parsed = parse_classification_table(
        content, file_name="t.csv", code_system="okved2"
    )

    assert parsed.errors == []
    assert parsed.rows == [EntryRow("58.11", "", "Книжное дело", "", "official", "")]
