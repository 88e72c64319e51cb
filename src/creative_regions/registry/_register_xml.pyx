# cython: language_level=3, boundscheck=False, wraparound=False
"""The SME register's XML read by expat with the extraction in C.

Why compiled: a national snapshot is millions of ``Документ`` elements, and building
a tree of each and reading it back from Python costs three times what expat needs to
tokenise the bytes. Here expat calls C handlers that keep the few attributes the
store needs; Python objects are made only for those values.

Nothing from the file is trusted, as in ``parsers.iter_document_batches``: a
``<!DOCTYPE>`` stops the parse before its internal subset is read, so no entity is
ever declared or expanded; external entities are never fetched (no handler is set);
encodings other than expat's own are decoded through Python's single-byte codecs.
"""

import codecs

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport strcmp, strlen


cdef extern from "expat.h":
    ctypedef void* XML_Parser
    ctypedef char XML_Char
    ctypedef char XML_LChar
    ctypedef unsigned char XML_Bool
    ctypedef unsigned long XML_Size
    ctypedef long XML_Index

    cdef enum XML_Status:
        XML_STATUS_ERROR
        XML_STATUS_OK
        XML_STATUS_SUSPENDED

    cdef enum XML_Error:
        XML_ERROR_NONE
        XML_ERROR_NO_MEMORY
        XML_ERROR_SYNTAX
        XML_ERROR_NO_ELEMENTS
        XML_ERROR_INVALID_TOKEN
        XML_ERROR_UNKNOWN_ENCODING
        XML_ERROR_INCORRECT_ENCODING
        XML_ERROR_ABORTED

    cdef enum XML_ParamEntityParsing:
        XML_PARAM_ENTITY_PARSING_NEVER

    ctypedef struct XML_Encoding:
        int map[256]
        void* data
        int (*convert)(void* data, const char* s)
        void (*release)(void* data)

    ctypedef void (*XML_StartElementHandler)(
        void* user_data, const XML_Char* name, const XML_Char** atts
    ) noexcept
    ctypedef void (*XML_EndElementHandler)(
        void* user_data, const XML_Char* name
    ) noexcept
    ctypedef void (*XML_StartDoctypeDeclHandler)(
        void* user_data,
        const XML_Char* doctype_name,
        const XML_Char* sysid,
        const XML_Char* pubid,
        int has_internal_subset,
    ) noexcept
    ctypedef int (*XML_UnknownEncodingHandler)(
        void* handler_data, const XML_Char* name, XML_Encoding* info
    ) noexcept

    XML_Parser XML_ParserCreate(const XML_Char* encoding)
    void XML_ParserFree(XML_Parser parser)
    void XML_SetUserData(XML_Parser parser, void* user_data)
    void XML_SetElementHandler(
        XML_Parser parser, XML_StartElementHandler start, XML_EndElementHandler end
    )
    void XML_SetStartDoctypeDeclHandler(
        XML_Parser parser, XML_StartDoctypeDeclHandler start
    )
    void XML_SetUnknownEncodingHandler(
        XML_Parser parser, XML_UnknownEncodingHandler handler, void* handler_data
    )
    int XML_SetParamEntityParsing(XML_Parser parser, XML_ParamEntityParsing parsing)
    XML_Status XML_Parse(XML_Parser parser, const char* s, int length, int is_final)
    XML_Status XML_StopParser(XML_Parser parser, XML_Bool resumable)
    XML_Error XML_GetErrorCode(XML_Parser parser)
    const XML_LChar* XML_ErrorString(XML_Error code)
    XML_Size XML_GetCurrentLineNumber(XML_Parser parser)
    XML_Size XML_GetCurrentColumnNumber(XML_Parser parser)
    XML_Index XML_GetCurrentByteIndex(XML_Parser parser)


DEF CHUNK_BYTES = 262144

# Element and attribute names as UTF-8, the form expat hands them over in.
cdef bytes _FILE = "Файл".encode()
cdef bytes _DOCUMENT = "Документ".encode()
cdef bytes _ORGANISATION = "ОргВклМСП".encode()
cdef bytes _ENTREPRENEUR = "ИПВклМСП".encode()
cdef bytes _PERSON_NAME = "ФИОИП".encode()
cdef bytes _PLACE = "СведМН".encode()
cdef bytes _CITY = "Город".encode()
cdef bytes _DISTRICT = "Район".encode()
cdef bytes _SETTLEMENT = "НаселПункт".encode()
cdef bytes _OKVED = "СвОКВЭД".encode()
cdef bytes _OKVED_REPORTS = "СвОКВЭДотч".encode()
cdef bytes _OKVED_MAIN = "СвОКВЭДОсн".encode()
cdef bytes _OKVED_EXTRA = "СвОКВЭДДоп".encode()

cdef bytes _ID = "ИдДок".encode()
cdef bytes _SNAPSHOT = "ДатаСост".encode()
cdef bytes _INCLUDED = "ДатаВклМСП".encode()
cdef bytes _KIND = "ВидСубМСП".encode()
cdef bytes _CATEGORY = "КатСубМСП".encode()
cdef bytes _IS_NEW = "ПризНовМСП".encode()
cdef bytes _SOCIAL = "СведСоцПред".encode()
cdef bytes _HEADCOUNT = "ССЧР".encode()
cdef bytes _INN_ORGANISATION = "ИННЮЛ".encode()
cdef bytes _INN_PERSON = "ИННФЛ".encode()
cdef bytes _OGRN = "ОГРН".encode()
cdef bytes _OGRNIP = "ОГРНИП".encode()
cdef bytes _ORGANISATION_NAME = "НаимОрг".encode()
cdef bytes _SURNAME = "Фамилия".encode()
cdef bytes _GIVEN_NAME = "Имя".encode()
cdef bytes _PATRONYMIC = "Отчество".encode()
cdef bytes _REGION = "КодРегион".encode()
cdef bytes _PLACE_NAME = "Наим".encode()
cdef bytes _OKVED_CODE = "КодОКВЭД".encode()
cdef bytes _OKVED_VERSION = "ВерсОКВЭД".encode()
cdef bytes _REGISTER_TYPE = "ТипИнф".encode()
cdef bytes _DECLARED_COUNT = "КолДок".encode()

# Where the parse is inside a document: the children of ``Документ`` that have
# children of their own.
cdef enum Section:
    NONE, SUBJECT_PERSON, PLACE, OKVED, OKVED_REPORTS, OTHER


DIGITS = tuple(str(digit) for digit in range(10))


cdef inline bint same(const char* left, bytes right):
    return strcmp(left, <const char*>right) == 0


cdef inline object text(const char* value):
    return PyUnicode_DecodeUTF8(value, strlen(value), NULL)


# INN and OGRN checksums for plain digit strings, the register's own form; they are
# python-stdnum's algorithms (a test holds them to stdnum's answers), computed here
# because the Python call costs more than the rest of a record's checks together.
cdef int[10] INN_PERSON_WEIGHTS_1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
cdef int[11] INN_PERSON_WEIGHTS_2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
cdef int[9] INN_COMPANY_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8]


cdef inline bint digits_only(str value):
    cdef Py_UCS4 character
    for character in value:
        if character < u"0" or character > u"9":
            return False
    return True


cdef int weighted_check_digit(str value, int* weights, int count):
    cdef int total = 0
    cdef int k
    for k in range(count):
        total += weights[k] * (<int>value[k] - 48)
    return total % 11 % 10


cdef bint inn_is_valid(str value):
    cdef Py_ssize_t length = len(value)
    if not digits_only(value):
        return False
    if length == 10:
        return weighted_check_digit(value, INN_COMPANY_WEIGHTS, 9) == <int>value[9] - 48
    if length == 12:
        return (
            weighted_check_digit(value, INN_PERSON_WEIGHTS_1, 10) == <int>value[10] - 48
            and weighted_check_digit(value, INN_PERSON_WEIGHTS_2, 11)
            == <int>value[11] - 48
        )
    return False


cdef bint ogrn_is_valid(str value):
    cdef Py_ssize_t length = len(value)
    cdef Py_ssize_t k
    cdef unsigned long long number = 0
    if not digits_only(value):
        return False
    if length == 13:
        if value[0] == u"0":
            return False
        for k in range(12):
            number = number * 10 + (<int>value[k] - 48)
        return number % 11 % 10 == <int>value[12] - 48
    if length == 15:
        if value[0] != u"3" and value[0] != u"4":
            return False
        for k in range(14):
            number = number * 10 + (<int>value[k] - 48)
        # python-stdnum takes the whole remainder: 10 to 12 match no digit.
        return number % 13 == <int>value[14] - 48
    return False


def is_valid_inn(str value):
    """The INN check of this reader, for tests against python-stdnum."""
    return inn_is_valid(value)


def is_valid_ogrn(str value):
    """The OGRN check of this reader, for tests against python-stdnum."""
    return ogrn_is_valid(value)


cdef class _Reader:
    """State of one file's parse; expat's handlers write into it."""

    cdef XML_Parser parser
    cdef object error
    cdef object file_name
    cdef object parse
    cdef object columns
    cdef object quarantine
    cdef object register_type
    # Python helpers from ``parsers``, looked up once per file.
    cdef object parse_date
    cdef object is_valid_inn
    cdef object is_valid_ogrn
    cdef object quarantined_record
    cdef dict kinds
    cdef dict categories
    cdef dict reasons

    cdef int depth
    cdef bint root_seen
    cdef bint in_document
    cdef bint doctype_seen
    cdef Section section
    # Columns of the batch in progress.
    cdef list c_snapshot_date, c_inn, c_ogrn, c_is_ogrn_valid, c_kind, c_category
    cdef list c_name, c_region_code, c_district, c_city, c_settlement, c_okved_main
    cdef list c_is_okved_from_reports, c_okved_version, c_okved_extra, c_employees
    cdef list c_included_date, c_is_new, c_is_social_enterprise, c_document_id
    cdef list c_source_file
    # The document in progress.
    # Values the register repeats by the million (dates, codes, flags) are read in
    # C; their text is kept only when it is not in the usual form, for the message.
    cdef object document_id, snapshot_date, included_date, kind, category, employees
    cdef object snapshot_raw, included_raw, kind_raw, headcount_raw
    cdef bint is_new, is_social_enterprise
    cdef dict dates
    cdef object inn, ogrn, name, region_raw, district, city, settlement
    cdef object okved_main, okved_version, okved_reports, okved_reports_version
    cdef list okved_extra
    cdef bint has_subject

    def __init__(self, file_name, parse, columns, helpers):
        self.file_name = file_name
        self.parse = parse
        self.columns = columns
        self.quarantine = parse.quarantined
        (
            self.register_type,
            self.parse_date,
            self.is_valid_inn,
            self.is_valid_ogrn,
            self.quarantined_record,
            self.kinds,
            self.categories,
            self.reasons,
        ) = helpers
        self.depth = 0
        self.root_seen = False
        self.in_document = False
        self.dates = {}
        self.doctype_seen = False
        self.section = NONE
        self._take_columns()

    cdef void _take_columns(self):
        data = self.columns.data
        self.c_snapshot_date = data["snapshot_date"]
        self.c_inn = data["inn"]
        self.c_ogrn = data["ogrn"]
        self.c_is_ogrn_valid = data["is_ogrn_valid"]
        self.c_kind = data["kind"]
        self.c_category = data["category"]
        self.c_name = data["name"]
        self.c_region_code = data["region_code"]
        self.c_district = data["district"]
        self.c_city = data["city"]
        self.c_settlement = data["settlement"]
        self.c_okved_main = data["okved_main"]
        self.c_is_okved_from_reports = data["is_okved_from_reports"]
        self.c_okved_version = data["okved_version"]
        self.c_okved_extra = data["okved_extra"]
        self.c_employees = data["employees"]
        self.c_included_date = data["included_date"]
        self.c_is_new = data["is_new"]
        self.c_is_social_enterprise = data["is_social_enterprise"]
        self.c_document_id = data["document_id"]
        self.c_source_file = data["source_file"]

    cdef void _fail(self, object error):
        if self.error is None:
            self.error = error
        XML_StopParser(self.parser, 0)

    # Elements ---------------------------------------------------------------

    cdef void _start_root(self, const char* name, const char** atts):
        from creative_regions.registry import messages
        from creative_regions.registry.parsers import FileRejected

        cdef int i = 0
        self.root_seen = True
        if not same(name, _FILE):
            self._fail(
                FileRejected(
                    messages.WRONG_ROOT,
                    tag=text(name),
                    expected="Файл",
                    dataset=messages.SME_REGISTER,
                )
            )
            return
        while atts[i] != NULL:
            if same(atts[i], _REGISTER_TYPE):
                value = text(atts[i + 1])
                if value != self.register_type:
                    self._fail(
                        FileRejected(
                            messages.WRONG_REGISTER_TYPE,
                            found=repr(value),
                            expected=repr(self.register_type),
                        )
                    )
                    return
            elif same(atts[i], _DECLARED_COUNT):
                value = text(atts[i + 1])
                self.parse.declared_count = int(value) if value.isdigit() else None
            i += 2

    cdef void _start_document(self, const char** atts):
        cdef int i = 0
        cdef const char* key
        self.in_document = True
        self.section = NONE
        self.document_id = self.snapshot_date = self.included_date = None
        self.kind = self.category = self.employees = None
        self.snapshot_raw = self.included_raw = self.kind_raw = None
        self.headcount_raw = None
        self.is_new = self.is_social_enterprise = False
        self.inn = self.ogrn = self.name = self.region_raw = None
        self.district = self.city = self.settlement = None
        self.okved_main = self.okved_version = None
        self.okved_reports = self.okved_reports_version = None
        self.okved_extra = []
        self.has_subject = False
        while atts[i] != NULL:
            key = atts[i]
            if same(key, _ID):
                self.document_id = text(atts[i + 1])
            elif same(key, _SNAPSHOT):
                self.snapshot_date = self._date_of(atts[i + 1])
                if self.snapshot_date is None:
                    self.snapshot_raw = text(atts[i + 1])
            elif same(key, _INCLUDED):
                self.included_date = self._date_of(atts[i + 1])
                if self.included_date is None:
                    self.included_raw = text(atts[i + 1])
            elif same(key, _KIND):
                self.kind = self._code_of(atts[i + 1], self.kinds)
                if self.kind is None:
                    self.kind_raw = text(atts[i + 1])
                    self.kind = self.kinds.get(self.kind_raw)
            elif same(key, _CATEGORY):
                self.category = self._code_of(atts[i + 1], self.categories)
                if self.category is None:
                    self.category = self.categories.get(text(atts[i + 1]))
            elif same(key, _IS_NEW):
                self.is_new = strcmp(atts[i + 1], "1") == 0
            elif same(key, _SOCIAL):
                self.is_social_enterprise = strcmp(atts[i + 1], "1") == 0
            elif same(key, _HEADCOUNT):
                self.employees = self._count_of(atts[i + 1])
                if self.employees is None:
                    self.headcount_raw = text(atts[i + 1])
            i += 2

    cdef object _date_of(self, const char* value):
        """``DD.MM.YYYY`` in ASCII digits → a date, made once per distinct day; None
        for anything else, which ``parse_date`` then judges by its own rule."""
        cdef int k
        cdef long key = 0
        if strlen(value) != 10 or value[2] != b"." or value[5] != b".":
            return None
        for k in range(10):
            if k == 2 or k == 5:
                continue
            if value[k] < b"0" or value[k] > b"9":
                return None
        day = (value[0] - 48) * 10 + value[1] - 48
        month = (value[3] - 48) * 10 + value[4] - 48
        year = (
            (value[6] - 48) * 1000 + (value[7] - 48) * 100
            + (value[8] - 48) * 10 + value[9] - 48
        )
        key = year * 10000 + month * 100 + day
        found = self.dates.get(key)
        if found is None:
            try:
                found = self.parse_date(text(value))
            except ValueError:
                return None
            self.dates[key] = found
        return found

    cdef object _code_of(self, const char* value, dict labels):
        """A one-digit code ("1", "2", "3") → its label without making a string;
        None for anything else."""
        if value[0] >= b"1" and value[0] <= b"9" and value[1] == 0:
            return labels.get(DIGITS[value[0] - 48])
        return None

    cdef object _count_of(self, const char* value):
        """A whole number in ASCII digits → int; None for anything else, which the
        end of the document then judges by the Python rule."""
        cdef long number = 0
        cdef int k = 0
        while value[k] != 0:
            if value[k] < b"0" or value[k] > b"9" or k >= 9:
                return None
            number = number * 10 + value[k] - 48
            k += 1
        if k == 0:
            return None
        return number

    cdef void _start_child(self, const char* name, const char** atts):
        """A child of ``Документ``."""
        cdef int i = 0
        self.section = OTHER
        if same(name, _ORGANISATION):
            self.has_subject = True
            self.inn = self.ogrn = self.name = None
            while atts[i] != NULL:
                if same(atts[i], _INN_ORGANISATION):
                    self.inn = text(atts[i + 1])
                elif same(atts[i], _OGRN):
                    self.ogrn = text(atts[i + 1])
                elif same(atts[i], _ORGANISATION_NAME):
                    self.name = text(atts[i + 1])
                i += 2
        elif same(name, _ENTREPRENEUR):
            self.has_subject = True
            self.section = SUBJECT_PERSON
            self.inn = self.ogrn = None
            self.name = ""
            while atts[i] != NULL:
                if same(atts[i], _INN_PERSON):
                    self.inn = text(atts[i + 1])
                elif same(atts[i], _OGRNIP):
                    self.ogrn = text(atts[i + 1])
                i += 2
        elif same(name, _PLACE):
            self.section = PLACE
            self.region_raw = None
            while atts[i] != NULL:
                if same(atts[i], _REGION):
                    self.region_raw = text(atts[i + 1])
                i += 2
        elif same(name, _OKVED):
            self.section = OKVED
        elif same(name, _OKVED_REPORTS):
            self.section = OKVED_REPORTS

    cdef void _start_grandchild(self, const char* name, const char** atts):
        """A child of a child of ``Документ``: only some sections have any we read."""
        cdef Section section = self.section
        if section == OTHER or section == NONE:
            return
        if section == SUBJECT_PERSON:
            if same(name, _PERSON_NAME):
                self.name = self._person_name(atts)
        elif section == PLACE:
            if same(name, _CITY):
                self.city = self._value_of(atts, _PLACE_NAME)
            elif same(name, _DISTRICT):
                self.district = self._value_of(atts, _PLACE_NAME)
            elif same(name, _SETTLEMENT):
                self.settlement = self._value_of(atts, _PLACE_NAME)
        elif section == OKVED:
            if same(name, _OKVED_MAIN):
                self.okved_main = self._value_of(atts, _OKVED_CODE)
                self.okved_version = self._value_of(atts, _OKVED_VERSION)
            elif same(name, _OKVED_EXTRA):
                code = self._value_of(atts, _OKVED_CODE)
                if code:
                    self.okved_extra.append(code)
        elif section == OKVED_REPORTS:
            if same(name, _OKVED_MAIN):
                self.okved_reports = self._value_of(atts, _OKVED_CODE)
                self.okved_reports_version = self._value_of(atts, _OKVED_VERSION)

    cdef object _value_of(self, const char** atts, bytes key):
        cdef int i = 0
        while atts[i] != NULL:
            if same(atts[i], key):
                return text(atts[i + 1])
            i += 2
        return None

    cdef object _person_name(self, const char** atts):
        surname = self._value_of(atts, _SURNAME)
        given = self._value_of(atts, _GIVEN_NAME)
        patronymic = self._value_of(atts, _PATRONYMIC)
        return " ".join(part for part in (surname, given, patronymic) if part)

    cdef void _reject(self, str reason, str detail):
        self.quarantine.append(
            self.quarantined_record(
                self.file_name,
                self.document_id or "",
                self.inn or "",
                self.reasons[reason],
                detail,
            )
        )

    cdef void _end_document(self):
        """Checks the document and adds it to the batch or to the quarantine, with
        the rules and messages of ``parsers``; ordered so a valid row pays for each
        check only once."""
        self.parse.document_count += 1
        inn = self.inn
        if not self.has_subject:
            self._reject("NO_SUBJECT", "No ОргВклМСП or ИПВклМСП element.")
            return
        if not inn:
            self._reject("MISSING_INN", "The INN is missing.")
            return
        if not (inn_is_valid(inn) or self.is_valid_inn(inn)):
            self._reject("INVALID_INN", f"INN {inn} fails its checksum or length.")
            return
        region_code = self.region_raw
        if not region_code:
            self._reject("MISSING_REGION", "СведМН has no КодРегион.")
            return
        region_code = region_code.strip().zfill(2)
        if len(region_code) != 2 or not region_code.isdigit():
            self._reject("INVALID_REGION", f"КодРегион {region_code!r} is not 2 digits.")
            return
        kind = self.kind
        if kind is None:
            self._reject("BAD_KIND", f"ВидСубМСП is {self.kind_raw!r}.")
            return
        snapshot_date = self.snapshot_date
        if snapshot_date is None:
            try:
                snapshot_date = self.parse_date(self.snapshot_raw)
            except ValueError:
                self._reject("BAD_DATE", f"ДатаСост is {self.snapshot_raw!r}.")
                return
        included_date = self.included_date
        included_raw = self.included_raw
        if included_date is None and included_raw:
            try:
                included_date = self.parse_date(included_raw)
            except ValueError:
                self._reject("BAD_DATE", f"ДатаВклМСП is {included_raw!r}.")
                return
        employees = self.employees
        headcount = self.headcount_raw
        if headcount is not None:
            if not headcount.isdigit():
                self._reject(
                    "BAD_NUMBER", f"ССЧР is {headcount!r}, not a whole number."
                )
                return
            employees = int(headcount)

        okved_main, okved_version = self.okved_main, self.okved_version
        is_from_reports = okved_main is None and self.okved_reports is not None
        if is_from_reports:
            okved_main = self.okved_reports
            okved_version = self.okved_reports_version
        ogrn = self.ogrn
        self.c_snapshot_date.append(snapshot_date)
        self.c_inn.append(inn)
        self.c_ogrn.append(ogrn)
        self.c_is_ogrn_valid.append(
            (ogrn_is_valid(ogrn) or self.is_valid_ogrn(ogrn)) if ogrn else None
        )
        self.c_kind.append(kind)
        self.c_category.append(self.category)
        self.c_name.append(self.name)
        self.c_region_code.append(region_code)
        self.c_district.append(self.district)
        self.c_city.append(self.city)
        self.c_settlement.append(self.settlement)
        self.c_okved_main.append(okved_main)
        self.c_is_okved_from_reports.append(is_from_reports)
        self.c_okved_version.append(okved_version)
        self.c_okved_extra.append(self.okved_extra)
        self.c_employees.append(employees)
        self.c_included_date.append(included_date)
        self.c_is_new.append(self.is_new)
        self.c_is_social_enterprise.append(self.is_social_enterprise)
        self.c_document_id.append(self.document_id or "")
        self.c_source_file.append(self.file_name)


# expat's callbacks ---------------------------------------------------------------


cdef void _on_start(void* user_data, const XML_Char* name, const XML_Char** atts) noexcept:
    cdef _Reader reader = <_Reader>user_data
    if reader.error is not None:
        return
    reader.depth += 1
    cdef int depth = reader.depth
    try:
        if depth == 1:
            reader._start_root(name, atts)
        elif depth == 2:
            if same(name, _DOCUMENT):
                reader._start_document(atts)
        elif reader.in_document:
            if depth == 3:
                reader._start_child(name, atts)
            elif depth == 4:
                reader._start_grandchild(name, atts)
    except BaseException as error:
        reader._fail(error)


cdef void _on_end(void* user_data, const XML_Char* name) noexcept:
    cdef _Reader reader = <_Reader>user_data
    if reader.error is not None:
        return
    cdef int depth = reader.depth
    reader.depth -= 1
    try:
        if depth == 2 and reader.in_document:
            reader.in_document = False
            reader._end_document()
        elif depth == 3 and reader.in_document:
            reader.section = NONE
    except BaseException as error:
        reader._fail(error)


cdef void _on_doctype(
    void* user_data,
    const XML_Char* doctype_name,
    const XML_Char* sysid,
    const XML_Char* pubid,
    int has_internal_subset,
) noexcept:
    cdef _Reader reader = <_Reader>user_data
    reader.doctype_seen = True
    XML_StopParser(reader.parser, 0)


cdef int _on_unknown_encoding(
    void* handler_data, const XML_Char* name, XML_Encoding* info
) noexcept:
    """Single-byte encodings (windows-1251, KOI8-R…) through Python's codecs, as
    pyexpat does; anything else is left unknown and the file is refused."""
    cdef int byte
    try:
        codec_name = text(name)
        decoder = codecs.lookup(codec_name)
        for byte in range(256):
            try:
                character = decoder.decode(bytes((byte,)))[0]
            except UnicodeDecodeError:
                info.map[byte] = -1
                continue
            if len(character) != 1:
                return 0
            info.map[byte] = ord(character)
    except (LookupError, ValueError):
        return 0
    info.data = NULL
    info.convert = NULL
    info.release = NULL
    return 1


# The generator --------------------------------------------------------------------


def iter_register_batches(stream, *, file_name, parse, batch_rows):
    """Parses one SME register file, yielding Arrow tables of valid records; fills
    ``parse`` (counts, quarantine, checksum) and raises ``FileRejected`` as
    ``parsers.iter_document_batches`` does."""
    from creative_regions.registry import messages, parsers
    from creative_regions.registry.identifiers import is_valid_inn, is_valid_ogrn
    from creative_regions.registry.schema import CATEGORIES, KINDS, RECORD_SCHEMA

    reasons = {
        name: getattr(parsers.Reason, name)
        for name in dir(parsers.Reason)
        if name.isupper()
    }
    columns = parsers.Columns(RECORD_SCHEMA)
    reader = _Reader(
        file_name,
        parse,
        columns,
        (
            parsers.REGISTER_TYPE,
            parsers.parse_date,
            is_valid_inn,
            is_valid_ogrn,
            parsers.QuarantinedRecord,
            KINDS,
            CATEGORIES,
            reasons,
        ),
    )
    hashing = parsers.HashingReader(stream)
    cdef XML_Parser parser = XML_ParserCreate(NULL)
    if parser == NULL:
        raise MemoryError()
    reader.parser = parser
    XML_SetUserData(parser, <void*>reader)
    XML_SetElementHandler(parser, _on_start, _on_end)
    XML_SetStartDoctypeDeclHandler(parser, _on_doctype)
    XML_SetUnknownEncodingHandler(parser, _on_unknown_encoding, NULL)
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER)
    cdef bytes chunk
    cdef XML_Status status
    cdef bint is_final = False
    cdef long long offset = 0
    try:
        while not is_final:
            chunk = hashing.read(CHUNK_BYTES)
            is_final = len(chunk) == 0
            status = XML_Parse(parser, <const char*>chunk, len(chunk), is_final)
            if reader.error is not None:
                raise reader.error
            if reader.doctype_seen:
                raise parsers.FileRejected(messages.DTD)
            if status != XML_STATUS_OK:
                template, detail = _error_message(
                    reader, parser, chunk, offset, hashing.size
                )
                raise parsers.FileRejected(template, detail=detail)
            offset += len(chunk)
            if len(columns) >= batch_rows:
                yield columns.to_table()
                reader._take_columns()
    finally:
        reader.parser = NULL
        XML_ParserFree(parser)
    if len(columns):
        yield columns.to_table()
    parse.sha256 = hashing.hash.hexdigest()
    parse.size = hashing.size


cdef tuple _error_message(
    _Reader reader, XML_Parser parser, bytes chunk, long long offset, long long size
):
    """The message template for expat's complaint, and the complaint with where it
    happened."""
    from creative_regions.registry import messages

    cdef XML_Error code = XML_GetErrorCode(parser)
    description = (<bytes>XML_ErrorString(code)).decode()
    where = (
        f"{description} (line {XML_GetCurrentLineNumber(parser)}, "
        f"column {XML_GetCurrentColumnNumber(parser)})"
    )
    if size == 0:
        return messages.FILE_EMPTY, where
    if code == XML_ERROR_UNKNOWN_ENCODING:
        return messages.ENCODING_UNSUPPORTED, where
    if code == XML_ERROR_INCORRECT_ENCODING:
        return messages.ENCODING_MISMATCH, where
    if code == XML_ERROR_INVALID_TOKEN:
        # expat reports bytes that are not UTF-8 as an invalid token: tell the two
        # apart by the byte it stopped at.
        position = XML_GetCurrentByteIndex(parser) - offset
        if 0 <= position < len(chunk) and chunk[position] >= 0x80:
            return messages.ENCODING_MISMATCH, where
    if not reader.root_seen:
        return messages.NOT_XML, where
    return messages.MALFORMED, where
