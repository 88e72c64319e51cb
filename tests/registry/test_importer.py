import hashlib
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from creative_regions.registry.importer import run_import
from creative_regions.registry.store import RegisterStore
from tests.registry.builders import (
    document,
    member_name,
    register_file,
    valid_inn,
    write_zip,
)


def store_in(tmp_path: Path) -> RegisterStore:
    return RegisterStore(tmp_path / "registry", "fns-rsmp")


def archive_of(
    tmp_path: Path, files: int, docs: int, *, start: int = 0, name="a.zip"
) -> Path:
    members = {}
    for index in range(files):
        documents = [
            document(
                doc_id=f"d{index}-{number}",
                inn=valid_inn(start + index * docs + number),
            )
            for number in range(docs)
        ]
        members[member_name(index)] = register_file(
            documents, file_id=member_name(index)[:-4]
        )
    return write_zip(tmp_path / name, members)


def published_rows(store: RegisterStore) -> list[tuple]:
    return duckdb.execute(
        "SELECT inn, region_code, source_file FROM read_parquet(?) ORDER BY inn",
        [store.parquet_glob()],
    ).fetchall()


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_archive_is_imported_published_and_listed_in_the_manifest(tmp_path):
    archive = archive_of(tmp_path, files=3, docs=4)
    store = store_in(tmp_path)

    summary = run_import([archive], store=store, workers=1)

    assert (summary.files_total, summary.files_stored, summary.records_stored) == (
        3,
        3,
        12,
    )
    assert summary.snapshots == [date(2026, 7, 10)]
    assert len(published_rows(store)) == 12
    partition = store.source_dir / "snapshot=2026-07-10" / "part-0.parquet"
    assert partition.exists()
    manifest = store.manifest()
    assert [entry.name for entry in manifest] == [member_name(i) for i in range(3)]
    assert all(entry.records == 4 and len(entry.sha256) == 64 for entry in manifest)
    header = store.manifest_path.read_text().splitlines()[0]
    assert header == '{"kind": "header", "schema_version": 1}'


def test_importing_the_same_archive_twice_leaves_the_store_identical(tmp_path):
    archive = archive_of(tmp_path, files=3, docs=4)
    store = store_in(tmp_path)
    run_import([archive], store=store, workers=1)
    before = tree_digest(store.root)

    summary = run_import([archive], store=store, workers=1)

    assert (summary.files_stored, summary.files_skipped) == (0, 3)
    assert tree_digest(store.root) == before


def test_same_inn_in_two_files_is_stored_once_and_counted(tmp_path):
    shared = valid_inn(42)
    archive = write_zip(
        tmp_path / "a.zip",
        {
            member_name(0): register_file(
                [
                    document(doc_id="first", inn=shared),
                    document(doc_id="x", inn=valid_inn(1)),
                ],
                file_id="f0",
            ),
            member_name(1): register_file(
                [document(doc_id="second", inn=shared)], file_id="f1"
            ),
        },
    )
    store = store_in(tmp_path)

    summary = run_import([archive], store=store, workers=1)

    assert (
        summary.records_read,
        summary.records_stored,
        summary.duplicates_merged,
    ) == (3, 2, 1)
    kept = duckdb.execute(
        "SELECT document_id FROM read_parquet(?) WHERE inn = ?",
        [store.parquet_glob(), shared],
    ).fetchall()
    assert kept == [("first",)]


def test_bad_members_are_reported_while_the_rest_is_imported(tmp_path):
    good = register_file([document(doc_id="ok", inn=valid_inn(7))], file_id="ok")
    archive = write_zip(
        tmp_path / "mixed.zip",
        {
            member_name(0): good,
            member_name(1): "<Root/>",
            member_name(2): register_file([document(doc_id="x")], file_id="x").encode(
                "cp1251"
            ),
            member_name(3): good.replace('КолДок="1"', 'КолДок="5"')
            .replace("ok", "ok2")
            .replace(valid_inn(7), valid_inn(8)),
            "readme.txt": "not xml",
        },
    )
    store = store_in(tmp_path)

    summary = run_import([archive], store=store, workers=1)

    errors = {error.file.split(":")[-1]: error.message for error in summary.file_errors}
    assert errors["readme.txt"] == "Not an XML file; left out."
    assert errors[member_name(1)].startswith("The root element is <Root>")
    assert errors[member_name(2)].startswith(
        "The bytes do not match the declared encoding"
    )
    assert errors[member_name(3)] == (
        "КолДок says 5 documents, the file has 1; all 1 were read."
    )
    assert summary.records_stored == 2


def test_truncated_archive_is_reported_and_other_inputs_still_import(tmp_path):
    archive = archive_of(tmp_path, files=2, docs=50)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    loose = tmp_path / "loose.xml"
    loose.write_text(
        register_file([document(doc_id="l", inn=valid_inn(999))], file_id="l")
    )
    store = store_in(tmp_path)

    summary = run_import([broken, loose], store=store, workers=1)

    assert summary.file_errors and summary.file_errors[0].file == str(broken)
    assert "Not a readable zip archive" in summary.file_errors[0].message
    assert summary.records_stored == 1


def test_corrupt_member_data_is_a_per_file_error(tmp_path):
    archive = archive_of(tmp_path, files=2, docs=30)
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        first = zipped.infolist()[0]
        start = first.header_offset + 30 + len(first.filename.encode()) + 40
    data[start : start + 200] = bytes(200)
    archive.write_bytes(bytes(data))
    store = store_in(tmp_path)

    summary = run_import([archive], store=store, workers=1)

    assert len(summary.file_errors) == 1
    assert summary.file_errors[0].file.endswith(member_name(0))
    assert summary.files_stored == 1


def test_nothing_importable_is_said_plainly(tmp_path):
    summary = run_import(
        [tmp_path / "missing.zip"], store=store_in(tmp_path), workers=1
    )

    assert not summary.imported_anything
    assert summary.file_errors[0].message == "No such file or folder."


def test_two_workers_give_the_same_store_as_one(tmp_path):
    archive = archive_of(tmp_path, files=6, docs=20)
    one, two = (
        RegisterStore(tmp_path / "one", "fns-rsmp"),
        RegisterStore(tmp_path / "two", "fns-rsmp"),
    )

    run_import([archive], store=one, workers=1)
    run_import([archive], store=two, workers=2)

    assert published_rows(one) == published_rows(two)
    part = "source=fns-rsmp/snapshot=2026-07-10/part-0.parquet"
    assert (one.root / part).read_bytes() == (two.root / part).read_bytes()


@pytest.mark.parametrize("workers", [1])
def test_folder_of_xml_files_is_imported(tmp_path, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(2):
        (folder / member_name(index)).write_text(
            register_file(
                [document(doc_id=str(index), inn=valid_inn(index))], file_id="x"
            )
        )
    store = store_in(tmp_path)

    summary = run_import([folder], store=store, workers=workers)

    assert summary.records_stored == 2
    again = run_import([folder], store=store, workers=workers)
    assert again.files_skipped == 2 and again.files_stored == 0


def test_killed_import_resumes_and_ends_identical_to_a_clean_one(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    archive = archive_of(tmp_path, files=40, docs=300)
    store = store_in(tmp_path)
    script = (
        "import sys; from pathlib import Path;"
        "from creative_regions.registry.importer import run_import;"
        "from creative_regions.registry.store import RegisterStore;"
        "run_import([Path(sys.argv[1])], store=RegisterStore(Path(sys.argv[2]), 'fns-rsmp'),"
        " workers=1)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(archive), str(store.root)]
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (
            store.manifest_path.exists()
            and len(store.manifest_path.read_text().splitlines()) > 5
        ):
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (store.source_dir / "snapshot=2026-07-10").exists(), (
        "killed before publishing"
    )
    stored_before = len(store.manifest())
    assert 0 < stored_before < 40

    summary = run_import([archive], store=store, workers=1)

    assert summary.files_skipped >= stored_before
    assert summary.files_stored + summary.files_skipped == 40
    clean = RegisterStore(tmp_path / "clean", "fns-rsmp")
    run_import([archive], store=clean, workers=1)
    assert published_rows(store) == published_rows(clean)
    assert len(published_rows(store)) == 40 * 300
    leftovers = [
        path for path in store.root.rglob(".*") if path.name != "_manifest.jsonl"
    ]
    assert leftovers == []
