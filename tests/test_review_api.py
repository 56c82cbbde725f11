"""The review app's HTTP API and pages, through Starlette's TestClient, on a copy of the sample blog."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from conftest import REPO, l10n_executable, snapshot
from starlette.testclient import TestClient

from l10n.config import load_config
from l10n.project import iter_posts
from l10n.review import Settings, create_app
from l10n.translate.command import translate_project

PORT = 8765
TOKEN = "test-session-token"
ORIGIN = f"http://127.0.0.1:{PORT}"
BASH = "tech/dev/scripts-bash-robustes.md"
BASH_PO = Path("locales/en/tech/dev/scripts-bash-robustes.po")
HIKE = "voyage/randonnee-vercors.md"
HIKE_PO = Path("locales/en/voyage/randonnee-vercors.po")
LINK_MSGID = "Et pour une pause loin du terminal, essayez notre [recette de pain au levain](/cuisine/pain-au-levain)."
LINK_MSGSTR = "And for a break away from the terminal, try our [sourdough bread recipe](/cuisine/pain-au-levain)."
HIKE_TITLE = "Trois jours sur les crêtes du Vercors"
HIKE_HEADING = "L'itinéraire"


def sample_blog(root: Path, *, backend: str = "pseudo") -> Path:
    """A copy of this repository's sample blog: content/, locales/ and pyproject.toml (its [tool.l10n]), with
    ``backend`` as the machine-translation backend."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "locales", root / "locales")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    head, section = pyproject.split("[tool.l10n]\n", 1)
    section = re.sub(r"^backend\s*=.*\n", "", section, flags=re.MULTILINE)
    (root / "pyproject.toml").write_text(f'{head}[tool.l10n]\nbackend = "{backend}"\n{section}', encoding="utf-8")
    return root


def make_machine_drafts(root: Path, rel: str, msgids: set[str]) -> None:
    """Empty these entries, then let ``l10n translate`` (pseudo backend) draft them: machine drafts."""
    path = root / "locales/en" / Path(rel).with_suffix(".po")
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid in msgids:
            entry.msgstr = ""
    catalog.save(str(path))
    config = load_config(root)
    post = next(post for post in iter_posts(config) if post.rel.as_posix() == rel)
    translate_project(config, backend_name="pseudo", posts=[post])


def entry(root: Path, po: Path, msgid: str) -> polib.POEntry:
    return next(item for item in polib.pofile(str(root / po)) if item.msgid == msgid)


def set_entry(root: Path, po: Path, msgid: str, msgstr: str, *, fuzzy: bool = False) -> None:
    """Another writer (a PO editor, git, l10n extract) changes one entry on disk."""
    catalog = polib.pofile(str(root / po))
    for item in catalog:
        if item.msgid == msgid:
            item.msgstr = msgstr
            if fuzzy and "fuzzy" not in item.flags:
                item.flags.append("fuzzy")
    catalog.save(str(root / po))


def msgfmt_ok(path: Path) -> None:
    if shutil.which("msgfmt") is None:
        return
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    root = sample_blog(tmp_path / "blog")
    make_machine_drafts(root, HIKE, {HIKE_TITLE, HIKE_HEADING})
    return root


def client_for(root: Path, *, login: bool = True) -> TestClient:
    config = load_config(root)
    app = create_app(Settings(config, config.target_langs, TOKEN, PORT))
    client = TestClient(app, base_url=ORIGIN)
    if login:
        response = client.get(f"/?token={TOKEN}")
        assert response.status_code == 200
    return client


@pytest.fixture
def client(blog: Path) -> Iterator[TestClient]:
    with client_for(blog) as test_client:
        yield test_client


def post_json(client: TestClient, path: str, body: dict[str, object]) -> object:
    return client.post(path, json=body, headers={"X-L10n-Token": TOKEN, "Origin": ORIGIN})


def page_state(client: TestClient, rel: str) -> tuple[str, dict[str, dict[str, object]]]:
    """The catalog version a post page carries, and its entries by msgid (from the page's JSON block)."""
    import json

    html = client.get(f"/post/en/{rel}").text
    version = re.search(r'id="review"[^>]*data-version="([0-9a-f]+)"', html, re.S)
    assert version is not None
    block = re.search(r'<script type="application/json" id="entries">(.*?)</script>', html, re.S)
    assert block is not None
    entries = {item["msgid"]: item for item in json.loads(block.group(1))}
    return version.group(1), entries


def save_body(version: str, item: dict[str, object], msgstr: str, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "post": BASH if "pain-au-levain" in str(item["msgid"]) else HIKE,
        "lang": "en",
        "msgid": item["msgid"],
        "msgctxt": item["msgctxt"],
        "msgstr": msgstr,
        "approve": True,
        "machine": None,
        "version": version,
        "entry_version": item["version"],
    }
    body.update(extra)
    return body


# ---- pages ----


def test_home_lists_every_post_and_locale_with_completion_and_filters(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for rel in ("cuisine/pain-au-levain.md", BASH, "tech/ia/ia-medecine.md", HIKE):
        assert f'href="/post/en/{rel}"' in page.text
    status = client.get("/api/status").json()["posts"]
    hike = next(row for row in status if row["post"] == HIKE)
    assert hike["entries"]["fuzzy"] == 2 and hike["needs_work"]
    assert all(not row["needs_work"] for row in status if row["post"] != HIKE)

    needing_work = client.get("/", params={"state": "needs-work"}).text
    assert HIKE in needing_work and BASH not in needing_work
    by_name = client.get("/", params={"q": "bash"}).text
    assert BASH in by_name and HIKE not in by_name
    assert "No post matches" in client.get("/", params={"lang": "de"}).text


def test_post_page_shows_each_segment_with_state_checks_and_shortcuts(client: TestClient, blog: Path) -> None:
    set_entry(blog, BASH_PO, LINK_MSGID, LINK_MSGSTR.replace("/cuisine/pain-au-levain", "/elsewhere"))
    page = client.get(f"/post/en/{BASH}").text
    assert page.count('class="segment ') == len([e for e in polib.pofile(str(blog / BASH_PO)) if e.msgid])
    # Source rendered as Markdown: the link is a link.
    assert '<a href="/cuisine/pain-au-levain"' in page
    assert "error: link-mismatch" in page  # the check result of the broken entry
    for shortcut in ("Ctrl</kbd>+<kbd>Enter", "Ctrl</kbd>+<kbd>S", "Alt</kbd>+<kbd>R", "Alt</kbd>+<kbd>M",
                     "Alt</kbd>+<kbd>N", "Alt</kbd>+<kbd>P"):
        assert shortcut in page

    drafts = client.get(f"/post/en/{HIKE}").text
    assert drafts.count("machine translation: pseudo") >= 2
    assert "2 machine" in drafts


def test_fuzzy_entry_shows_the_previous_source_as_a_diff(client: TestClient, blog: Path) -> None:
    catalog = polib.pofile(str(blog / BASH_PO))
    item = next(e for e in catalog if e.msgid == LINK_MSGID)
    item.flags.append("fuzzy")
    item.previous_msgid = LINK_MSGID.replace("une pause", "une petite pause")
    catalog.save(str(blog / BASH_PO))
    page = client.get(f"/post/en/{BASH}").text
    assert "Source changed:" in page
    assert re.search(r"<del>\s*petite\s*</del>", page)
    _, entries = page_state(client, BASH)
    assert entries[LINK_MSGID]["state"] == "fuzzy"


def test_a_script_in_a_translation_is_shown_escaped_everywhere(client: TestClient, blog: Path) -> None:
    hostile = 'Hi <script>alert("x")</script><img src=x onerror=alert(1)>'
    set_entry(blog, HIKE_PO, HIKE_HEADING, hostile, fuzzy=True)
    page = client.get(f"/post/en/{HIKE}")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text  # in the textarea, as text
    assert "script-injected" in page.text  # and flagged
    assert "script-src 'self'" in page.headers["content-security-policy"]
    preview = post_json(client, "/api/preview", {"post": HIKE, "lang": "en", "include_fuzzy": True}).json()
    assert "<script" not in preview["output_html"] and "onerror=alert" not in preview["output_html"].replace(
        "&lt;img src=x onerror=alert(1)&gt;", ""
    )
    checked = post_json(client, "/api/check", {"post": HIKE, "lang": "en", "msgid": HIKE_HEADING, "msgstr": hostile})
    assert "script-injected" in {finding["check"] for finding in checked.json()["findings"]}


def test_a_broken_or_missing_catalog_is_reported_and_never_written(client: TestClient, blog: Path) -> None:
    broken = blog / BASH_PO
    broken.write_text(broken.read_text(encoding="utf-8") + 'msgid "unterminated\n', encoding="utf-8")
    before = broken.read_bytes()
    (blog / "locales/en/cuisine/pain-au-levain.po").unlink()
    home = client.get("/").text
    assert "scripts-bash-robustes.po:" in home and "no catalog yet" in home
    assert HIKE in home  # the other posts are still listed
    page = client.get(f"/post/en/{BASH}")
    assert page.status_code == 422 and "scripts-bash-robustes.po" in page.text
    assert client.get("/post/en/cuisine/pain-au-levain.md").status_code == 404
    body = {"post": BASH, "lang": "en", "msgid": LINK_MSGID, "msgstr": "x", "approve": False,
            "version": "0", "entry_version": "0"}
    assert post_json(client, "/api/save", body).status_code == 422
    assert broken.read_bytes() == before


# ---- actions ----


def test_check_reports_a_broken_link_live_and_clears_when_fixed(client: TestClient) -> None:
    broken = LINK_MSGSTR.replace("/cuisine/pain-au-levain", "/cuisine/pain")
    result = post_json(client, "/api/check", {"post": BASH, "lang": "en", "msgid": LINK_MSGID, "msgstr": broken})
    assert result.status_code == 200
    assert result.json()["errors"] == 1
    assert result.json()["findings"][0]["check"] == "link-mismatch"
    fixed = post_json(client, "/api/check", {"post": BASH, "lang": "en", "msgid": LINK_MSGID, "msgstr": LINK_MSGSTR})
    assert fixed.json() == {"findings": [], "errors": 0}


def test_approve_a_machine_draft_clears_fuzzy_and_keeps_a_provenance_note(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, HIKE)
    draft = entries[HIKE_TITLE]
    assert draft["state"] == "machine" and draft["machine_backend"] == "pseudo"
    body = save_body(version, draft, str(draft["msgstr"]), machine="pseudo")
    response = post_json(client, "/api/save", body)
    assert response.status_code == 200, response.text
    assert response.json()["entry"]["state"] == "reviewed" and not response.json()["merged"]
    stored = entry(blog, HIKE_PO, HIKE_TITLE)
    assert stored.msgstr == draft["msgstr"] and not stored.fuzzy
    assert stored.tcomment == "reviewed machine translation: pseudo"
    msgfmt_ok(blog / HIKE_PO)
    assert entry(blog, HIKE_PO, HIKE_HEADING).fuzzy  # the other draft is untouched
    assert response.json()["version"] != version


def test_edit_and_approve_stores_the_reviewers_text_as_a_human_translation(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, HIKE)
    response = post_json(client, "/api/save", save_body(version, entries[HIKE_HEADING], "The route"))
    assert response.status_code == 200
    stored = entry(blog, HIKE_PO, HIKE_HEADING)
    assert (stored.msgstr, stored.fuzzy, stored.tcomment) == ("The route", False, "")
    msgfmt_ok(blog / HIKE_PO)


def test_save_draft_keeps_the_entry_fuzzy(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, BASH)
    edited = LINK_MSGSTR.replace("try our", "try the")
    response = post_json(client, "/api/save", save_body(version, entries[LINK_MSGID], edited, approve=False))
    assert response.status_code == 200
    assert response.json()["entry"]["state"] == "fuzzy"
    stored = entry(blog, BASH_PO, LINK_MSGID)
    assert stored.fuzzy and "try the [sourdough" in stored.msgstr and not stored.tcomment


def test_approve_is_refused_while_checks_fail_and_nothing_is_written(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, BASH)
    before = (blog / BASH_PO).read_bytes()
    broken = LINK_MSGSTR.replace("/cuisine/pain-au-levain", "https://evil.example/")
    response = post_json(client, "/api/save", save_body(version, entries[LINK_MSGID], broken))
    assert response.status_code == 422
    assert {f["check"] for f in response.json()["findings"]} >= {"link-mismatch"}
    empty = post_json(client, "/api/save", save_body(version, entries[LINK_MSGID], "  "))
    assert empty.status_code == 422
    assert (blog / BASH_PO).read_bytes() == before


def test_revert_returns_the_translation_stored_on_disk(client: TestClient, blog: Path) -> None:
    set_entry(blog, BASH_PO, LINK_MSGID, "Changed in a PO editor [x](/cuisine/pain-au-levain).")
    response = post_json(client, "/api/entry", {"post": BASH, "lang": "en", "msgid": LINK_MSGID})
    assert response.status_code == 200
    assert response.json()["entry"]["msgstr"] == "Changed in a PO editor [x](/cuisine/pain-au-levain)."


def test_machine_translate_one_segment_suggests_without_writing(client: TestClient, blog: Path) -> None:
    before = snapshot(blog)
    response = post_json(client, "/api/translate", {"post": BASH, "lang": "en", "msgid": LINK_MSGID})
    assert response.status_code == 200, response.text
    suggestion = response.json()
    assert suggestion["backend"] == "pseudo"
    assert "](/cuisine/pain-au-levain)" in suggestion["msgstr"] and "⟦" in suggestion["msgstr"]
    assert not [f for f in suggestion["findings"] if f["severity"] == "error"]
    assert snapshot(blog) == before
    # Saved unedited as a draft: a machine draft, marked as such.
    version, entries = page_state(client, BASH)
    body = save_body(version, entries[LINK_MSGID], suggestion["msgstr"], approve=False, machine="pseudo")
    assert post_json(client, "/api/save", body).status_code == 200
    assert entry(blog, BASH_PO, LINK_MSGID).tcomment == "machine translation: pseudo"


def test_machine_translation_unavailable_is_reported(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject = blog / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('backend = "pseudo"', 'backend = "deepl"'), encoding="utf-8")
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    with client_for(blog) as client:
        page = client.get(f"/post/en/{BASH}").text
        assert "Machine translation is off" in page and "DEEPL_API_KEY" in page
        response = post_json(client, "/api/translate", {"post": BASH, "lang": "en", "msgid": LINK_MSGID})
        assert response.status_code == 502


def test_preview_builds_the_post_in_memory_and_writes_nothing(client: TestClient, blog: Path) -> None:
    before = snapshot(blog)
    built = post_json(client, "/api/preview", {"post": HIKE, "lang": "en", "include_fuzzy": False}).json()
    assert "Three days" not in built["output_html"]  # machine drafts are not built by default...
    assert "<h1>" in built["source_html"] and "Vercors" in built["source_front_matter"]
    drafts = post_json(client, "/api/preview", {"post": HIKE, "lang": "en", "include_fuzzy": True}).json()
    assert "⟦" in drafts["output_front_matter"] or "⟦" in drafts["output_html"]
    bash = post_json(client, "/api/preview", {"post": BASH, "lang": "en"}).json()
    assert '<a href="/en/cuisine/pain-au-levain"' in bash["output_html"]  # the build's link rules applied
    assert bash["percent"] == 100.0 and not bash["problems"]
    assert snapshot(blog) == before


# ---- conflicts ----


def test_a_change_elsewhere_in_the_catalog_is_merged_not_lost(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, HIKE)
    set_entry(blog, HIKE_PO, "Vercors", "Vercors massif")  # someone else, another entry
    response = post_json(client, "/api/save", save_body(version, entries[HIKE_HEADING], "The route"))
    assert response.status_code == 200 and response.json()["merged"]
    assert entry(blog, HIKE_PO, "Vercors").msgstr == "Vercors massif"
    assert entry(blog, HIKE_PO, HIKE_HEADING).msgstr == "The route"


def test_a_change_to_the_same_entry_is_a_409_with_the_current_state(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, HIKE)
    set_entry(blog, HIKE_PO, HIKE_HEADING, "The itinerary")  # saved meanwhile in a PO editor
    on_disk = (blog / HIKE_PO).read_bytes()
    response = post_json(client, "/api/save", save_body(version, entries[HIKE_HEADING], "The route"))
    assert response.status_code == 409
    conflict = response.json()
    assert conflict["entry"]["msgstr"] == "The itinerary"
    assert (blog / HIKE_PO).read_bytes() == on_disk  # theirs is kept
    # The reviewer has seen theirs; saving again against the state shown wins deliberately.
    again = save_body(conflict["version"], conflict["entry"], "The route")
    assert post_json(client, "/api/save", again).status_code == 200
    assert entry(blog, HIKE_PO, HIKE_HEADING).msgstr == "The route"


def test_an_entry_gone_from_the_catalog_is_a_409(client: TestClient, blog: Path) -> None:
    version, entries = page_state(client, HIKE)
    catalog = polib.pofile(str(blog / HIKE_PO))
    catalog.remove(next(e for e in catalog if e.msgid == HIKE_HEADING))
    catalog.save(str(blog / HIKE_PO))
    response = post_json(client, "/api/save", save_body(version, entries[HIKE_HEADING], "The route"))
    assert response.status_code == 409 and response.json()["entry"] is None
    assert HIKE_HEADING not in (blog / HIKE_PO).read_text(encoding="utf-8")


# ---- paths ----


@pytest.mark.parametrize(
    "url",
    [
        "/post/en/%2e%2e/%2e%2e/pyproject.toml",
        "/post/en/..%2F..%2Fpyproject.toml",
        "/post/en/%2Fetc%2Fpasswd",
        "/post/en//etc/passwd",
        "/post/en/tech/../../../pyproject.toml",
        "/post/%2e%2e/cuisine/pain-au-levain.md",
        "/post/en/cuisine/pain-au-levain.md%00.po",
        "/static/..%2F..%2Fcatalogs.py",
        "/static/%2e%2e/app.py",
    ],
)
def test_paths_outside_the_project_are_never_served(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "source_lang" not in response.text and "root:" not in response.text


@pytest.mark.parametrize(
    "post", ["../../pyproject.toml", "/etc/passwd", "cuisine/../cuisine/pain-au-levain.md", "..%2Fpyproject.toml", ""]
)
def test_api_refuses_posts_not_in_the_catalog_set(client: TestClient, blog: Path, post: str) -> None:
    before = snapshot(blog.parent)
    for path, body in (
        ("/api/entry", {"post": post, "lang": "en", "msgid": "x"}),
        ("/api/save", {"post": post, "lang": "en", "msgid": "x", "msgstr": "y", "approve": True,
                       "version": "0", "entry_version": "0"}),
        ("/api/translate", {"post": post, "lang": "en", "msgid": "x"}),
        ("/api/preview", {"post": post, "lang": "en"}),
    ):
        response = post_json(client, path, body)
        assert response.status_code == 404, (path, response.text)
    assert post_json(client, "/api/entry", {"post": BASH, "lang": "../en", "msgid": "x"}).status_code == 404
    assert snapshot(blog.parent) == before


def test_a_catalog_symlinked_out_of_the_project_is_neither_read_nor_written(tmp_path: Path, blog: Path) -> None:
    outside = tmp_path / "secret.po"
    shutil.copy(blog / HIKE_PO, outside)
    (blog / HIKE_PO).unlink()
    (blog / HIKE_PO).symlink_to(outside)
    before = outside.read_bytes()
    with client_for(blog) as client:
        assert client.get(f"/post/en/{HIKE}").status_code == 404
        body = {"post": HIKE, "lang": "en", "msgid": HIKE_HEADING, "msgstr": "x", "approve": True,
                "version": "0", "entry_version": "0"}
        assert post_json(client, "/api/save", body).status_code == 404
        assert post_json(client, "/api/entry", {"post": HIKE, "lang": "en", "msgid": HIKE_HEADING}).status_code == 404
    assert outside.read_bytes() == before


def test_a_source_symlinked_out_of_the_project_is_refused(tmp_path: Path, blog: Path) -> None:
    outside = tmp_path / "private.md"
    outside.write_text("# Secret plans\n", encoding="utf-8")
    (blog / "content/fr/leak.md").symlink_to(outside)
    with client_for(blog, login=False) as client:
        client.get(f"/?token={TOKEN}")
        for url in ("/", "/post/en/leak.md"):
            response = client.get(url)
            assert response.status_code in (404, 422)
            assert "Secret plans" not in response.text


# ---- cross-site requests ----


def test_the_printed_url_trades_its_token_for_a_session_cookie(blog: Path) -> None:
    with client_for(blog, login=False) as client:
        assert client.get("/").status_code == 403
        assert client.get("/api/status").status_code == 403
        assert client.get("/?token=wrong").status_code == 403
        response = client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 403),  # no token header: what a cross-site form or script sends
        ({"X-L10n-Token": "guess"}, 403),
        ({"X-L10n-Token": TOKEN, "Origin": "https://evil.example"}, 403),
        ({"X-L10n-Token": TOKEN, "Origin": "null"}, 403),
        ({"X-L10n-Token": TOKEN, "Sec-Fetch-Site": "cross-site"}, 403),
        ({"X-L10n-Token": TOKEN, "Host": "evil.example:8765"}, 400),  # DNS rebinding
        ({"X-L10n-Token": TOKEN, "Content-Type": "application/x-www-form-urlencoded"}, 415),
    ],
)
def test_cross_site_writes_are_refused(client: TestClient, blog: Path, headers: dict[str, str], status: int) -> None:
    version, entries = page_state(client, HIKE)
    before = snapshot(blog)
    body = save_body(version, entries[HIKE_HEADING], "Pwned")
    if headers.get("Content-Type", "").startswith("application/x-www"):
        response = client.post("/api/save", data={"msgstr": "Pwned"}, headers=headers)
    else:
        response = client.post("/api/save", json=body, headers=headers)
    assert response.status_code == status
    assert snapshot(blog) == before


def test_reads_are_refused_to_other_hosts_and_sites(client: TestClient) -> None:
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get(f"/post/en/{BASH}", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.get("/", headers={"Host": f"localhost:{PORT}"}).status_code == 200
    assert client.get("/").headers["x-frame-options"] == "DENY"


def test_the_command_serves_on_localhost_and_prints_its_url(blog: Path) -> None:
    process = subprocess.Popen(
        [l10n_executable(), "review", "--port", "0"],
        cwd=blog,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", line)
        assert match, line
        base = f"http://127.0.0.1:{match.group(1)}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(base + "/")
        assert refused.value.code == 403
        with opener.open(f"{base}/?token={match.group(2)}") as response:  # follows the redirect, keeps the cookie
            assert response.status == 200 and HIKE in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait()
