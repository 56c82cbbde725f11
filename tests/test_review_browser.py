"""The review page in headless Chromium (Debian's chromium + chromium-driver, driven by Selenium).

Scenario on a copy of the sample blog: open the home page, open a post, approve a machine draft, edit a
translation so that it breaks a link and see the check fail (and the approval refused), fix it, approve, and
find the change in the PO file. Set ``L10N_REVIEW_SCREENSHOTS=<dir>`` to save the screenshots used in docs/.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from conftest import l10n_executable
from test_review_api import BASH, BASH_PO, LINK_MSGID, LINK_MSGSTR, make_machine_drafts, msgfmt_ok, sample_blog

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_SECONDS = 30  # upper bound for the page to react; the tests never assert durations

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(
        "headless Chromium not installed (apt-get install -y chromium chromium-driver)", allow_module_level=True
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (pip install -e '.[test]')")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

TITLE = "Écrire des scripts Bash qui ne cassent pas en silence"
STRICT = "Le mode strict"
OPTIONS = "Chaque option corrige un comportement par défaut dangereux :"
INTRO_START = "Un script Bash commence souvent"
HABIT_START = "La première habitude"


def prepare_blog(root: Path) -> Path:
    """The sample blog with work to review in one post: machine drafts, a changed source, an empty entry."""
    sample_blog(root)
    make_machine_drafts(root, BASH, {TITLE, STRICT, OPTIONS})
    catalog = polib.pofile(str(root / BASH_PO))
    for entry in catalog:
        if entry.msgid.startswith(INTRO_START):
            entry.previous_msgid = entry.msgid.replace("un vendredi soir", "un lundi soir")
            entry.flags.append("fuzzy")
        elif entry.msgid.startswith(HABIT_START):
            entry.msgstr = ""
    catalog.save(str(root / BASH_PO))
    return root


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """``l10n review`` running on the prepared blog: (project root, the URL it printed)."""
    root = prepare_blog(tmp_path / "blog")
    command = [l10n_executable(), "review", "--port", "0"]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", line)
        assert match, line + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        yield root, match.group(0)
    finally:
        process.terminate()
        process.wait()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1360,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: object, condition: object) -> object:
    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def row_of(driver: object, msgid_start: str) -> object:
    index = driver.execute_script(
        "return JSON.parse(document.getElementById('entries').textContent)"
        ".findIndex((entry) => entry.msgid.startsWith(arguments[0]));",
        msgid_start,
    )
    assert index >= 0, msgid_start
    return driver.find_element(By.CSS_SELECTOR, f'tr.segment[data-index="{index}"]')


def text_in(driver: object, msgid_start: str, selector: str) -> str:
    """The text of ``selector`` in a segment's row (a textarea: its value)."""
    element = row_of(driver, msgid_start).find_element(By.CSS_SELECTOR, selector)
    return element.get_property("value") if selector == "textarea" else element.text


def stored(root: Path, msgid_start: str) -> polib.POEntry:
    return next(entry for entry in polib.pofile(str(root / BASH_PO)) if entry.msgid.startswith(msgid_start))


def type_over(textarea: object, text: str) -> None:
    textarea.click()
    textarea.send_keys(Keys.CONTROL, "a")
    textarea.send_keys(text)


def screenshot(driver: object, name: str) -> None:
    directory = os.environ.get("L10N_REVIEW_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(directory) / name))


def test_review_a_post_in_the_browser(served: tuple[Path, str], browser: object) -> None:
    root, url = served
    driver = browser
    driver.get(url)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.posts"))
    assert "token=" not in driver.current_url  # traded for a cookie
    screenshot(driver, "review-home.png")
    row = driver.find_element(By.XPATH, f"//a[text()='{BASH}']/ancestor::tr")
    assert "needs-work" in row.get_attribute("class")

    # Open the post: the states are shown.
    row.find_element(By.TAG_NAME, "a").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.segment"))
    title = row_of(driver, TITLE)
    assert title.get_attribute("data-state") == "machine"
    assert "machine translation: pseudo" in title.text
    assert "Source changed:" in row_of(driver, INTRO_START).text
    assert row_of(driver, HABIT_START).get_attribute("data-state") == "untranslated"

    # Approve the machine draft with the keyboard.
    draft = stored(root, TITLE).msgstr
    title.find_element(By.TAG_NAME, "textarea").click()
    title.find_element(By.TAG_NAME, "textarea").send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: row_of(d, TITLE).get_attribute("data-state") == "reviewed")
    entry = stored(root, TITLE)
    assert (entry.msgstr, entry.fuzzy, entry.tcomment) == (draft, False, "reviewed machine translation: pseudo")
    assert driver.find_element(By.CSS_SELECTOR, '[data-count="machine"]').text == "2 machine"

    # Alt+N: the next segment needing work (the next machine draft).
    title.find_element(By.TAG_NAME, "textarea").send_keys(Keys.ALT, "n")
    wait_for(driver, lambda d: d.switch_to.active_element.tag_name == "textarea")
    focused = driver.switch_to.active_element.find_element(By.XPATH, "ancestor::tr")
    assert focused.get_attribute("data-index") == row_of(driver, INTRO_START).get_attribute("data-index")

    # Machine-translate the empty entry (Alt+M) and check it arrives in the box, unsaved.
    habit = row_of(driver, HABIT_START)
    habit.find_element(By.TAG_NAME, "textarea").send_keys(Keys.ALT, "m")
    wait_for(driver, lambda d: "⟦" in text_in(d, HABIT_START, "textarea"))
    assert stored(root, HABIT_START).msgstr == ""
    screenshot(driver, "review-post.png")
    # Ctrl+S keeps it as a draft: a machine draft in the PO file, still to be reviewed.
    suggestion = text_in(driver, HABIT_START, "textarea")
    habit.find_element(By.TAG_NAME, "textarea").send_keys(Keys.CONTROL, "s")
    wait_for(driver, lambda d: row_of(d, HABIT_START).get_attribute("data-state") == "machine")
    entry = stored(root, HABIT_START)
    assert (entry.msgstr, entry.fuzzy, entry.tcomment) == (suggestion, True, "machine translation: pseudo")

    # Break the link: the check fails as the reviewer types, and approval is refused.
    link = row_of(driver, LINK_MSGID)
    box = link.find_element(By.TAG_NAME, "textarea")
    broken = LINK_MSGSTR.replace("(/cuisine/pain-au-levain)", "(/cuisine/sourdough)")
    type_over(box, broken)
    wait_for(driver, lambda d: "link-mismatch" in text_in(d, LINK_MSGID, ".findings"))
    assert "has-errors" in link.get_attribute("class")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: "fails its checks" in text_in(d, LINK_MSGID, ".message"))
    assert stored(root, LINK_MSGID).msgstr == LINK_MSGSTR
    # Alt+R: back to the stored translation.
    box.send_keys(Keys.ALT, "r")
    wait_for(driver, lambda d: text_in(d, LINK_MSGID, "textarea") == LINK_MSGSTR)
    wait_for(driver, lambda d: text_in(d, LINK_MSGID, ".findings") == "")

    # Fix it, approve, and find the change in the PO file.
    fixed = "For a break away from the keyboard, try our [sourdough bread recipe](/cuisine/pain-au-levain)."
    type_over(box, fixed)
    wait_for(driver, lambda d: text_in(d, LINK_MSGID, ".findings") == "")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: "approved" in text_in(d, LINK_MSGID, ".message"))
    entry = stored(root, LINK_MSGID)
    assert (entry.msgstr, entry.fuzzy) == (fixed, False)
    assert "For a break away from the keyboard" in (root / BASH_PO).read_text(encoding="utf-8")
    msgfmt_ok(root / BASH_PO)

    # The preview (Alt+P) shows the built post with the fix, next to the original.
    box.send_keys(Keys.ALT, "p")
    wait_for(driver, lambda d: "away from the keyboard" in d.find_element(By.CSS_SELECTOR, ".rendered.output").text)
    assert "Écrire des scripts Bash" in driver.find_element(By.CSS_SELECTOR, ".rendered.source").text
    assert not (root / "content/en/tech/dev/scripts-bash-robustes.md").read_text(encoding="utf-8").count("keyboard")


def test_a_conflicting_save_shows_the_version_on_disk_and_keeps_the_reviewers_text(
    served: tuple[Path, str], browser: object
) -> None:
    root, url = served
    driver = browser
    driver.get(url)
    driver.get(url.split("?")[0] + f"post/en/{BASH}")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.segment"))
    # Meanwhile, someone saves the same entry in a PO editor.
    catalog = polib.pofile(str(root / BASH_PO))
    next(e for e in catalog if e.msgid == STRICT).msgstr = "Strict mode (from a PO editor)"
    catalog.save(str(root / BASH_PO))

    row = row_of(driver, STRICT)
    box = row.find_element(By.TAG_NAME, "textarea")
    type_over(box, "The strict mode")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: row_of(d, STRICT).find_element(By.CSS_SELECTOR, ".conflict").is_displayed())
    assert "Strict mode (from a PO editor)" in row.find_element(By.CSS_SELECTOR, ".conflict").text
    assert box.get_property("value") == "The strict mode"  # nothing the reviewer typed is lost
    assert stored(root, STRICT).msgstr == "Strict mode (from a PO editor)"  # nor what the other wrote
    # Having compared, the reviewer takes theirs and approves it.
    row.find_element(By.CSS_SELECTOR, '.conflict button[data-action="take-theirs"]').click()
    wait_for(driver, lambda d: text_in(d, STRICT, "textarea") == "Strict mode (from a PO editor)")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: row_of(d, STRICT).get_attribute("data-state") == "reviewed")
    entry = stored(root, STRICT)
    assert (entry.msgstr, entry.fuzzy) == ("Strict mode (from a PO editor)", False)



def test_a_hostile_translation_stays_text(served: tuple[Path, str], browser: object) -> None:
    root, url = served
    hostile = '<script>document.title = "pwned"</script><img src=x onerror="document.title = \'pwned\'">'
    catalog = polib.pofile(str(root / BASH_PO))
    next(e for e in catalog if e.msgid == STRICT).msgstr = hostile
    catalog.save(str(root / BASH_PO))
    driver = browser
    driver.get(url)
    driver.get(url.split("?")[0] + f"post/en/{BASH}")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.segment"))
    assert text_in(driver, STRICT, "textarea") == hostile  # shown as text, exactly
    assert "script-injected" in text_in(driver, STRICT, ".findings")
    include = driver.find_element(By.ID, "include-fuzzy")
    driver.find_element(By.CSS_SELECTOR, 'button[data-action="preview"]').click()
    wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".rendered.output").text)
    include.click()  # with drafts: the hostile entry fails its checks, so the build leaves it out
    wait_for(driver, lambda d: "script-injected" in d.find_element(By.CSS_SELECTOR, ".preview .problems").text)
    assert driver.title != "pwned"
    assert not driver.find_elements(By.CSS_SELECTOR, "main img, main script:not(#entries)")
