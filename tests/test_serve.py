"""``hrdocs serve`` over HTTP, with Starlette's test client: every route, and every refusal (a bad
token, a missing CSRF token, an upload too large or of the wrong type, a path leaving the workspace,
an unknown kind). Documents are opened as a person would (python-docx, the zip and its manifest)."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docx import Document as open_docx
from starlette.testclient import TestClient

from hrdocs.serve import create_app
from tests.util import docx_text

BASE = "http://127.0.0.1:8750"
OFFER = {
    "candidate": "Jane Q. Doe",
    "role": "generalist",
    "salary": "72000",
    "start": "2027-01-04",
    "manager": "Dana Whitfield",
    "location": "Denver, CO",
}
REFERENCE_KIND = """\
title: reference letter
folder: references
file_name: "{kind}-{candidate}"
fields:
  candidate: {type: text, required: true, help: "Who the reference is for."}
  role: {type: role, required: true}
  started: {type: date, required: true}
"""
REFERENCE_TEMPLATE = """\
{% extends "_base.md.j2" %}
{% block title %}Reference for {{ candidate }}{% endblock %}
{% block body %}
{{ candidate }} worked at {{ company.name }} as {{ role.title }} from {{ started | date }}.
{% endblock %}
"""
GOOD_CSV = (
    "candidate,role,salary,start,manager,location,Notes\n"
    'Jane Doe,generalist,72000,2027-01-04,Dana Whitfield,"Denver, CO",met at fair\n'
    'Sam Poe,recruiter,65000,2027-02-01,Dana Whitfield,"Denver, CO",\n'
)
BAD_CSV = GOOD_CSV + 'John Roe,generalist,lots,2027-01-04,Dana Whitfield,"Denver, CO",\n'


@pytest.fixture
def workspace(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace(
        {
            "kinds/reference-letter.yaml": REFERENCE_KIND,
            "templates/reference-letter.md.j2": REFERENCE_TEMPLATE,
        }
    )


def client_for(workspace: Path, **options: object) -> TestClient:
    return TestClient(create_app(workspace, **options), base_url=BASE)  # type: ignore[arg-type]


@pytest.fixture
def client(workspace: Path) -> Iterator[TestClient]:
    with client_for(workspace) as c:
        c.get("/")  # sets the CSRF cookie, as the first page a browser opens does
        yield c


def csrf(c: TestClient) -> str:
    return c.cookies["hrdocs_csrf"]


def check(c: TestClient, kind: str, fields: dict[str, str]) -> dict[str, object]:
    r = c.post(f"/letters/{kind}/check", data=fields, headers={"X-CSRF-Token": csrf(c)})
    assert r.status_code == 200
    return r.json()


def upload(c: TestClient, name: str, data: bytes, kind: str = "offer") -> str:
    r = c.post(
        "/batch", data={"csrf": csrf(c), "kind": kind}, files={"file": (name, data)}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


# ------------------------------------------------------------------------------------------ pages
def test_every_page_carries_the_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "Acme Widgets" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"  # never to another site
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "EventSource" in js.text
    assert "<script>" not in r.text  # every script is a file: the CSP allows no inline one


def test_roles_catalogue_search_preview_and_downloads(client: TestClient) -> None:
    listing = client.get("/roles", params={"q": "recruit"})
    assert "/roles/recruiter" in listing.text and "/roles/hr-generalist" not in listing.text
    page = client.get("/roles/generalist")
    assert page.status_code == 200 and "HR Generalist" in page.text
    keys = re.findall(r'src="/preview/([\w-]+)"', page.text)
    assert len(keys) == 2  # the job description and the posting
    framed = client.get(f"/preview/{keys[0]}")
    assert "HR Generalist" in framed.text and "<style>" in framed.text
    assert "frame-ancestors 'self'" in framed.headers["content-security-policy"]
    assert "script-src" not in framed.headers["content-security-policy"]  # default-src 'none': no script
    docx = client.get("/roles/generalist/jd.docx")
    assert docx.headers["content-disposition"].startswith("attachment")
    assert "HR Generalist" in "\n".join(p.text for p in open_docx(io.BytesIO(docx.content)).paragraphs)
    assert client.get("/roles/generalist/jd.pdf").content.startswith(b"%PDF")
    assert "HR Generalist" in client.get("/roles/generalist/jd.md").text
    posting = json.loads(client.get("/roles/generalist/posting.json").content)
    assert "JobPosting" in json.dumps(posting)
    assert client.get("/roles/nobody").status_code == 404
    assert client.get("/roles/generalist/payslip.docx").status_code == 404


def test_compare_roles_side_by_side(client: TestClient) -> None:
    page = client.get("/compare", params=[("roles", "generalist"), ("roles", "recruiter")])
    key = re.search(r'src="/preview/([\w-]+)"', page.text)
    assert key is not None
    framed = client.get(f"/preview/{key.group(1)}").text
    assert "HR Generalist" in framed and "Recruiter" in framed
    docx = client.get("/compare/comparison.docx", params=[("roles", "generalist"), ("roles", "recruiter")])
    assert "Recruiter" in "\n".join(p.text for p in open_docx(io.BytesIO(docx.content)).paragraphs) + "".join(
        c.text for t in open_docx(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells
    )
    assert "choose two or more" in client.get("/compare/comparison.docx", params={"roles": "x"}).text


# ---------------------------------------------------------------------------------------- letters
def test_letter_kinds_include_the_workspace_kind(client: TestClient) -> None:
    page = client.get("/letters").text
    assert "/letters/offer-letter" in page and "/letters/denial-letter" in page
    assert "/letters/reference-letter" in page
    form = client.get("/letters/reference-letter").text
    assert "Who the reference is for." in form and 'name="started" type="date"' in form


def test_offer_form_is_made_from_the_kind_fields(client: TestClient) -> None:
    form = client.get("/letters/offer").text
    assert re.search(r'for="f-candidate">Candidate <abbr class="req"', form)
    assert re.search(r'for="f-salary">Salary <span class="unit">\(USD\)', form)
    assert '<option value="hybrid">hybrid</option>' in form  # arrangement's choices
    assert '<option value="hr-generalist">HR Generalist (hr-generalist)</option>' in form
    assert 'name="start" type="date"' in form
    assert client.get("/letters/payslip").status_code == 404


def test_check_gives_the_cli_messages_and_a_live_preview(
    client: TestClient, workspace: Path, hrdocs: Callable[..., object]
) -> None:
    bad = check(client, "offer", {**OFFER, "salary": "lots"})
    assert bad["ok"] is False
    flags = [f"--{k}={v}" for k, v in {**OFFER, "salary": "lots"}.items() if k != "role"]
    cli = hrdocs("-w", workspace, "offer", "generalist", *flags)
    cli_message = re.search(r"salary: (.*)", cli.err).group(1)  # type: ignore[attr-defined]
    assert bad["fields"] == {"salary": cli_message}
    assert any(line == f"form: salary: {cli_message}" for line in bad["problems"])  # type: ignore[union-attr]
    good = check(client, "offer", OFFER)
    assert good["ok"] is True
    html = client.get(str(good["preview"])).text
    assert "Jane Q. Doe" in html and "Dana Whitfield" in html
    assert not (workspace / "output").exists()  # a preview writes nothing


def test_write_then_download_and_no_overwrite(client: TestClient, workspace: Path) -> None:
    r = client.post("/letters/offer/write", data={**OFFER, "csrf": csrf(client), "formats": "docx"})
    assert r.status_code == 200, r.text
    written = workspace / "output" / "offers" / "offer-jane-q-doe-hr-generalist.docx"
    assert written.is_file()
    link = re.search(r'href="(/files/[^"]+)"', r.text)
    assert link is not None
    got = client.get(link.group(1))
    assert got.headers["content-disposition"].startswith("attachment")
    assert "Jane Q. Doe" in "\n".join(p.text for p in open_docx(io.BytesIO(got.content)).paragraphs)
    again = client.post("/letters/offer/write", data={**OFFER, "csrf": csrf(client), "salary": "80000"})
    assert again.status_code == 400 and "already exists, not overwritten" in again.text
    assert "72,000" in docx_text(written)  # the first letter is untouched
    forced = client.post(
        "/letters/offer/write", data={**OFFER, "csrf": csrf(client), "salary": "80000", "force": "yes"}
    )
    assert forced.status_code == 200 and "80,000" in docx_text(written)


def test_write_refuses_bad_input_and_writes_nothing(client: TestClient, workspace: Path) -> None:
    r = client.post("/letters/offer/write", data={**OFFER, "csrf": csrf(client), "start": "2027-02-30"})
    assert r.status_code == 400 and "start: is not a real date" in r.text
    assert 'class="field invalid" data-field="start"' in r.text
    assert not (workspace / "output").exists()


# ---------------------------------------------------------------------------------------- refusals
def test_post_without_or_with_a_wrong_csrf_token_is_refused(client: TestClient, workspace: Path) -> None:
    assert client.post("/letters/offer/write", data=OFFER).status_code == 403
    assert client.post("/letters/offer/write", data={**OFFER, "csrf": "guess"}).status_code == 403
    assert client.post("/letters/offer/check", data=OFFER, headers={"X-CSRF-Token": "x"}).status_code == 403
    with client_for(workspace) as fresh:  # no cookie at all: a form posted from elsewhere
        assert fresh.post("/letters/offer/write", data={**OFFER, "csrf": "x"}).status_code == 403
    cross = client.post(
        "/letters/offer/check",
        data=OFFER,
        headers={"X-CSRF-Token": csrf(client), "Origin": "http://evil.example"},
    )
    assert cross.status_code == 403
    assert not (workspace / "output").exists()


def test_an_unknown_host_is_refused(client: TestClient) -> None:
    assert client.get("/", headers={"Host": "rebound.example:8750"}).status_code == 421


def test_token_is_asked_of_every_request(workspace: Path) -> None:
    token = "correct-horse-battery"
    with client_for(workspace, token=token) as c:
        assert c.get("/").status_code == 403
        assert c.get("/roles", params={"token": "wrong-token-here"}).status_code == 403
        r = c.get("/roles", params={"token": token, "q": "recruit"}, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == "/roles?q=recruit"  # the token leaves the address
        assert "HttpOnly" in r.headers["set-cookie"]
        assert c.get("/roles").status_code == 200  # the cookie carries it from now on
    with client_for(workspace, token=token) as other:
        other.cookies.set("hrdocs_token", "wrong-token-here")
        assert other.get("/").status_code == 403


def test_oversized_upload_is_refused(workspace: Path) -> None:
    with client_for(workspace, max_body=2000) as c:
        c.get("/")
        big = GOOD_CSV.encode() * 40
        r = c.post("/batch", data={"csrf": csrf(c)}, files={"file": ("big.csv", big)})
        assert r.status_code == 413
        assert c.get("/").status_code == 200


def test_upload_type_is_checked(client: TestClient) -> None:
    r = client.post("/batch", data={"csrf": csrf(client)}, files={"file": ("x.exe", b"MZ")})
    assert r.status_code == 400 and "cannot be read here" in r.text
    fake = client.post("/batch", data={"csrf": csrf(client)}, files={"file": ("x.xlsx", b"name,role\n")})
    assert fake.status_code == 400 and "not really a .xlsx file" in fake.text


def test_files_are_served_from_the_output_folder_only(
    client: TestClient, workspace: Path, tmp_path: Path
) -> None:
    (workspace / "output").mkdir()
    (workspace / "output" / "ok.md").write_text("# fine\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("salaries")
    (workspace / "output" / "leak.txt").symlink_to(secret)
    (workspace / "output" / ".hrdocs.lock").write_text("x")
    assert client.get("/files/ok.md").text == "# fine\n"
    for path in (
        "/files/%2e%2e/hrdocs.yaml",
        "/files/..%2fhrdocs.yaml",
        "/files/leak.txt",
        "/files/.hrdocs.lock",
        "/files/%2Fetc%2Fpasswd",
        "/files/nothing.docx",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "salaries" not in r.text and "Acme" not in r.text


def test_unknown_kind_is_refused(client: TestClient) -> None:
    assert client.get("/letters/payslip").status_code == 404
    r = client.post("/letters/payslip/check", data={}, headers={"X-CSRF-Token": csrf(client)})
    assert r.status_code == 404
    assert client.get("/templates/payslip/sample").status_code == 404
    review = client.get(upload(client, "offers.csv", GOOD_CSV.encode(), kind="payslip"))
    assert review.status_code == 404 and "unknown kind of document `payslip`" in review.text


def test_log_lines_hold_no_personal_data(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hrdocs.serve"):
        r = client.post("/letters/offer/write", data={**OFFER, "csrf": csrf(client)})
        link = re.search(r'href="(/files/[^"]+)"', r.text)
        assert link is not None and client.get(link.group(1)).status_code == 200
        client.get("/roles", params={"q": "Jane"})
    lines = [record.getMessage() for record in caplog.records if record.name == "hrdocs.serve"]
    assert "POST /letters/… 200" in lines and "GET /files/… 200" in lines and "GET /roles 200" in lines
    assert not any("jane" in line.lower() or "72000" in line for line in lines)


# ------------------------------------------------------------------------------------------ batch
def test_batch_mapping_preview_and_bad_rows(client: TestClient, workspace: Path) -> None:
    page_url = upload(client, "candidates.csv", BAD_CSV.encode())
    page = client.get(page_url).text
    assert re.search(r"<td>salary</td><td><code>salary</code></td>", page)
    assert re.search(r'<tr class="ignored"><td>Notes</td><td><em>ignored</em></td><td>matches no field', page)
    assert "candidates.csv:4: salary: must be a number" in page
    assert "3 rows checked: 2 valid, 1 invalid." in page
    assert not (workspace / "output").exists()  # the review is a dry run
    chosen = client.post(
        page_url + "/options", data={"csrf": csrf(client), "kind": "offer", "map:Notes": "bonus"}
    )
    assert re.search(r"<td>Notes</td><td><code>bonus</code></td><td>--map", chosen.text)


def test_batch_run_with_progress_events_and_zip(client: TestClient, workspace: Path) -> None:
    page_url = upload(client, "offers.csv", GOOD_CSV.encode())
    r = client.post(page_url + "/run", data={"csrf": csrf(client)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == page_url + "/job"
    assert 'data-events="' + page_url + '/events"' in client.get(page_url + "/job").text
    stream = client.get(page_url + "/events")
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = [json.loads(line[6:]) for line in stream.text.splitlines() if line.startswith("data: ")]
    done = events[-1]
    assert done["finished"] and done["error"] is None and done["summary"].startswith("written 2")
    archive = zipfile.ZipFile(io.BytesIO(client.get(done["zip"]).content))
    manifest = [json.loads(line) for line in archive.read("offers.manifest.jsonl").decode().splitlines()]
    assert [m["row"] for m in manifest] == [2, 3]
    letter = open_docx(io.BytesIO(archive.read(manifest[0]["path"])))
    assert "Jane Doe" in "\n".join(p.text for p in letter.paragraphs)
    assert (workspace / "output" / "offers" / manifest[0]["path"]).is_file()  # written as the CLI writes


def test_batch_with_invalid_rows_writes_nothing_unless_told(client: TestClient, workspace: Path) -> None:
    page_url = upload(client, "mixed.csv", BAD_CSV.encode())
    client.post(page_url + "/run", data={"csrf": csrf(client)})
    done = [
        json.loads(x[6:]) for x in client.get(page_url + "/events").text.splitlines() if x.startswith("data")
    ][-1]
    assert done["summary"].startswith("nothing written") and done["zip"] is None
    assert any("mixed.csv:4: salary" in p for p in done["problems"])
    assert not list(workspace.glob("output/**/*.docx"))
    client.post(page_url + "/run", data={"csrf": csrf(client), "skip_invalid": "yes"})
    done = [
        json.loads(x[6:]) for x in client.get(page_url + "/events").text.splitlines() if x.startswith("data")
    ][-1]
    assert done["summary"].startswith("written 2") and done["zip"]


def test_batch_unknown_upload_is_refused(client: TestClient) -> None:
    assert client.get("/batch/AAAAAAAAAAAA").status_code == 404
    assert client.get("/batch/../../etc").status_code == 404


# ------------------------------------------------------------------------------------- lint, templates
def test_lint_pasted_posting_highlights_findings_with_their_source(client: TestClient) -> None:
    text = "# Rockstar wanted\n\nWe want a young, energetic rockstar ninja to join us.\n"
    r = client.post("/lint", data={"csrf": csrf(client), "text": text, "kind": "posting"})
    assert r.status_code == 200
    assert re.search(r'<mark class="error" id="m\d+" title="[^"]*"><a href="#f\d+">young</a></mark>', r.text)
    assert "29 CFR 1625.4" in r.text  # the age-bias rule's source
    assert "<code>cliche</code>" in r.text


def test_lint_uploaded_file_and_refusals(client: TestClient) -> None:
    r = client.post(
        "/lint",
        data={"csrf": csrf(client), "kind": "posting"},
        files={"file": ("ad.md", b"We need a digital native who works hard.\n")},
    )
    assert r.status_code == 200 and "digital native" in r.text and "age-bias" in r.text
    empty = client.post("/lint", data={"csrf": csrf(client), "kind": "posting"})
    assert empty.status_code == 400 and "nothing to lint" in empty.text
    wrong = client.post("/lint", data={"csrf": csrf(client)}, files={"file": ("a.pdf", b"%PDF")})
    assert wrong.status_code == 400


def test_templates_page_lists_origin_check_and_samples(
    client: TestClient, workspace: Path, hrdocs: Callable[..., object]
) -> None:
    page = client.get("/templates").text
    assert re.search(r"<td>reference-letter</td><td>text</td><td>workspace</td>", page)
    assert re.search(r"<td>offer-letter</td><td>text</td><td>built-in</td>", page)
    cli = hrdocs("-w", workspace, "templates", "check")
    summary = re.search(r"(\d+) templates checked: (\d+) errors?, (\d+) warnings?", cli.err)  # type: ignore[attr-defined]
    assert summary is not None
    checked, errors, warnings = summary.groups()
    assert f'id="check-summary">{checked} templates checked: {errors} errors, {warnings} warnings.' in page
    sample = client.get("/templates/offer-letter/sample").text
    keys = re.findall(r'src="/preview/([\w-]+)"', sample)
    assert keys and "Dear" in client.get(f"/preview/{keys[0]}").text


def test_templates_check_finds_a_problem_with_its_place(make_workspace: Callable[..., Path]) -> None:
    broken = '{% extends "_base.md.j2" %}\n{% block body %}\n{{ candidate.nmae }}\n{% endblock %}\n'
    ws = make_workspace({"templates/offer-letter.md.j2": broken})
    with client_for(ws) as c:
        page = c.get("/templates").text
    assert re.search(r"<code>[^<]*offer-letter\.md\.j2:3</code>: <strong>error</strong>", page)


# ------------------------------------------------------------------------------------------ command
def test_serve_refuses_a_public_host_without_a_token(hrdocs: Callable[..., object], workspace: Path) -> None:
    out = hrdocs("-w", workspace, "serve", "--host", "0.0.0.0", "--no-browser")
    assert out.code == 2 and "needs an access token" in out.err  # type: ignore[attr-defined]
    short = hrdocs("-w", workspace, "serve", "--host", "0.0.0.0", "--token", "abc", "--no-browser")
    assert short.code == 2 and "at least 12 characters" in short.err  # type: ignore[attr-defined]


def test_batch_reads_an_xlsx_upload(client: TestClient) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD_CSV.splitlines():
        sheet.append(next(csv.reader([line])))
    data = io.BytesIO()
    book.save(data)
    page = client.get(upload(client, "export.xlsx", data.getvalue())).text
    assert re.search(r"<td>manager</td><td><code>manager</code></td>", page)
    assert "2 rows checked: 2 valid, 0 invalid." in page


def _start(workspace: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "hrdocs", "-w", str(workspace), "serve", "--no-browser", "--port"]
    command += [str(port), *args]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/app.css", timeout=1).close()
            return server, f"http://127.0.0.1:{port}"
        except urllib.error.HTTPError:
            return server, f"http://127.0.0.1:{port}"  # up, and refusing (a token is asked)
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise AssertionError(f"hrdocs serve did not start: {server.communicate()[0]}") from None
            time.sleep(0.1)


def test_the_command_serves_and_logs_no_query_or_path(workspace: Path) -> None:
    server, base = _start(workspace)
    try:
        with urllib.request.urlopen(base + "/roles?q=Jane+Doe") as response:
            assert response.status == 200
        with urllib.request.urlopen(base + "/letters/offer") as response:
            assert "Candidate" in response.read().decode()
    finally:
        server.terminate()
        out = server.communicate(timeout=10)[0]
    assert "hrdocs serve: http://127.0.0.1:" in out
    assert "GET /roles 200" in out and "GET /letters/… 200" in out
    assert "Jane" not in out and "q=" not in out and "/letters/offer" not in out


def test_the_command_with_a_generated_token(workspace: Path) -> None:
    server, base = _start(workspace, "--host", "0.0.0.0", "--token", "auto")
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/")
        assert refused.value.code == 403
        server.terminate()
        out = server.communicate(timeout=10)[0]
    finally:
        if server.poll() is None:
            server.kill()
    token = re.search(r"access token: (\S+)", out)
    assert token is not None and len(token.group(1)) >= 16
    assert "GET / 403" in out and token.group(1) not in out.split("access token:")[1].split("\n", 1)[1]


def test_an_internal_error_is_logged_without_its_message(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import hrdocs.serve.letters

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("Jane Q. Doe earns 72000")

    monkeypatch.setattr(hrdocs.serve.letters, "render", broken)
    with caplog.at_level(logging.INFO, logger="hrdocs.serve"):
        r = client.post("/letters/offer/check", data=OFFER, headers={"X-CSRF-Token": csrf(client)})
    assert r.status_code == 500 and "Jane" not in r.text
    lines = [record.getMessage() for record in caplog.records]
    where = [line.split(" in ")[-1] for line in lines if line.startswith("internal error: KeyError in ")]
    assert where and where[0].split(":")[0].endswith("test_serve")  # its place, by module and line
    assert not any("Jane" in line or "72000" in line for line in lines)


def test_an_edited_workspace_is_read_again(
    client: TestClient, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hrdocs.serve.state

    monkeypatch.setattr(hrdocs.serve.state, "STAMP_EVERY", 0.0)
    assert "Acme Widgets" in client.get("/").text
    settings = workspace / "hrdocs.yaml"
    settings.write_text(settings.read_text().replace("name: Acme Widgets", "name: Zenith Tools"))
    os.utime(settings, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a later mtime, surely
    assert "Zenith Tools" in client.get("/").text


def test_a_mistyped_address_is_not_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hrdocs.serve"):
        assert client.get("/jane-doe-salary").status_code == 404
        sandboxed = client.post(
            "/letters/offer/check", data=OFFER, headers={"X-CSRF-Token": csrf(client), "Origin": "null"}
        )
        assert sandboxed.status_code == 403
    lines = [record.getMessage() for record in caplog.records]
    assert "GET (another path) 404" in lines and not any("jane" in line for line in lines)
