"""Register XML files for tests, in the real format, built from small specs."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def document(
    *,
    doc_id: str,
    inn: str | None = "7704123450",
    ogrn: str | None = "1177746123455",
    region: str | None = "77",
    snapshot: str = "10.07.2026",
    included: str = "10.08.2017",
    kind: str = "1",
    headcount: str | None = "7",
    okved: str | None = "62.01",
    name: str = 'ООО "ТЕСТ"',
) -> str:
    attributes = {
        "ИдДок": doc_id,
        "ДатаСост": snapshot,
        "ДатаВклМСП": included,
        "ВидСубМСП": kind,
        "КатСубМСП": "1",
        "ПризНовМСП": "2",
        "СведСоцПред": "2",
    }
    if headcount is not None:
        attributes["ССЧР"] = headcount
    subject_attributes = {"НаимОрг": name}
    if inn is not None:
        subject_attributes["ИННЮЛ"] = inn
    if ogrn is not None:
        subject_attributes["ОГРН"] = ogrn
    place = (
        f'<СведМН КодРегион="{region}"><Регион Тип="ГОРОД" Наим="МОСКВА"/></СведМН>'
        if region is not None
        else '<СведМН><Регион Тип="ГОРОД" Наим="МОСКВА"/></СведМН>'
    )
    activity = (
        f'<СвОКВЭД><СвОКВЭДОсн КодОКВЭД="{okved}" НаимОКВЭД="x" ВерсОКВЭД="2014"/></СвОКВЭД>'
        if okved
        else ""
    )
    return (
        f"<Документ {_attributes(attributes)}>"
        f"<ОргВклМСП {_attributes(subject_attributes)}/>{place}{activity}</Документ>\n"
    )


def _attributes(values: dict[str, str]) -> str:
    return " ".join(f"{key}={quoteattr(value)}" for key, value in values.items())


def register_file(
    documents: list[str], *, file_id: str, declared: int | None = None
) -> str:
    count = len(documents) if declared is None else declared
    return (
        HEADER
        + f'<Файл ИдФайл="{file_id}" ВерсФорм="4.06" ТипИнф="РЕЕСТРМСП" КолДок="{count}">\n'
        + '<ИдОтпр><ФИООтв Фамилия="Тест" Имя="Тест"/></ИдОтпр>\n'
        + "".join(documents)
        + "</Файл>\n"
    )


def write_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(name, data)
    return path


def member_name(index: int) -> str:
    return f"VO_RRMSPSV_0000_9965_20260710_00000000-0000-0000-0000-{index:012d}.xml"


def valid_inn(number: int, region: str = "77") -> str:
    from stdnum.ru.inn import calc_company_check_digit

    body = f"{region}{number:07d}"
    return body + calc_company_check_digit(body + "0")
