"""Reading catalogs: the one-pass reader builds the very objects ``polib.pofile`` builds (every attribute, in
order, line numbers, obsolete entries, header and metadata), accepts only what the syntax check accepts, and
leaves everything else to the old way (check + polib), errors included."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import polib
import pytest
from corpus import REPO, SHARED_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.catalog.io import check_po_syntax, parse_catalog, render_catalog
from l10n.catalog.light import Record, read_records
from l10n.catalog.po.read import UncommonForm, read_po, stream_po
from l10n.catalog.scan import CatalogText
from l10n.catalog.template import WRAP_WIDTH
from l10n.fileio import InputError

PROPERTY_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OUTSIDE = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def snapshot(catalog: polib.POFile) -> tuple[object, ...]:
    """Everything a catalog holds, dictionaries as ordered items (so the order of insertion counts too)."""

    def attributes(thing: object) -> list[tuple[str, object]]:
        return [(name, list(value.items()) if isinstance(value, dict) else value)
                for name, value in vars(thing).items()]

    return type(catalog), attributes(catalog), [(type(entry), attributes(entry)) for entry in catalog]


def polib_reads(text: str) -> polib.POFile:
    catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    catalog.encoding = "utf-8"
    return catalog


def assert_read_as_polib_reads(text: str) -> None:
    catalog = read_po(text, WRAP_WIDTH)
    assert catalog is not None, "the one-pass reader left a common catalog to polib"
    assert snapshot(catalog) == snapshot(polib_reads(text))


# ---- catalogs that polib (or l10n) wrote

_PIECES = st.sampled_from(
    [" ", "  ", "-", "a", "é", "mot", "x" * 90, '"', "\\", "\\n", "\n", "\t", "\b", "#", "#~ ", "msgid ", ":",
     "1", "«", "\xa0", "\x00", "\U0001f600", ",", "|", "~"]
)
TEXT = st.lists(_PIECES, max_size=30).map("".join)
METADATA_VALUE = st.text(alphabet=st.characters(blacklist_characters="\n" + OUTSIDE, blacklist_categories=("Cs",)),
                         max_size=20)


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=draw(st.sampled_from([WRAP_WIDTH, 0, 30])))
    catalog.header = draw(st.sampled_from(["", "Messages of a post.", "Line one\nline two", "Two  spaces"]))
    catalog.metadata = draw(st.dictionaries(st.sampled_from(["Language", "Plural-Forms", "X-Tool", "Project-Id"]),
                                            METADATA_VALUE, max_size=4))
    catalog.metadata_is_fuzzy = draw(st.booleans())
    for number in range(draw(st.integers(0, 6))):
        obsolete = draw(st.booleans())
        entry = polib.POEntry(msgid=f"{number}{draw(TEXT)}", msgstr=draw(TEXT), obsolete=obsolete)
        if draw(st.booleans()):
            entry.msgctxt = draw(TEXT)
        if draw(st.booleans()):
            entry.msgid_plural = draw(TEXT)
            entry.msgstr_plural = {index: draw(TEXT) for index in draw(st.lists(st.integers(0, 9), max_size=3))}
        entry.tcomment = draw(TEXT)
        entry.comment = draw(TEXT)
        entry.flags = draw(st.lists(st.sampled_from(["fuzzy", "python-format", "x y"]), max_size=2))
        entry.occurrences = draw(st.lists(st.tuples(st.sampled_from(["a.md", "b c", "d:e"]),
                                                    st.sampled_from(["", "1", "22", "x"])), max_size=3))
        for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
            if draw(st.booleans()):
                setattr(entry, name, draw(TEXT))
        catalog.append(entry)
    return catalog


@PROPERTY_SETTINGS
@given(catalogs())
def test_a_catalog_polib_wrote_is_read_as_polib_reads_it(catalog: polib.POFile) -> None:
    assert_read_as_polib_reads(str(catalog))


@PROPERTY_SETTINGS
@given(catalogs())
def test_a_catalog_l10n_wrote_is_read_as_polib_reads_it(catalog: polib.POFile) -> None:
    assert_read_as_polib_reads(render_catalog(catalog))


@PROPERTY_SETTINGS
@given(catalogs(), st.sampled_from(["\r\n", "mixed"]))
def test_a_catalog_saved_with_crlf_is_read_as_polib_reads_it(catalog: polib.POFile, newline: str) -> None:
    lines = str(catalog).split("\n")
    ends = ["\r\n" if newline == "\r\n" or number % 2 else "\n" for number in range(len(lines))]
    assert_read_as_polib_reads("".join(line + end for line, end in zip(lines, ends, strict=True)))


# ---- any text made of PO-like lines: what the reader takes, the check accepts and polib reads the same

_STRING = st.sampled_from(['""', '"a"', '"a b"', '"\\"q\\""', '"\\\\"', '"\\n"', '"x\\"', '"a"b"', '"\\t\\z"', "a",
                           '"é"', '"\\\\\\""', '"a\rb"', '"c"\r', '"\r"'])
_LINE = st.one_of(
    st.tuples(st.sampled_from(["msgctxt ", "msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ", "msgstr[1] ",
                               "msgstr[10] ", "msgstr[x] ", "msgid  ", "msgid\t", "msgid"]), _STRING).map("".join),
    _STRING,
    st.sampled_from(["", "  ", "#", "# comment", "#  two", "#. generated", "#.", "#.x", "#: a.md:1 b.md c:d",
                     "#:", "#, fuzzy, python-format", "#,", "#,fuzzy", "#| ", "#|", "#| msgid", "##", "#~", "#~|",
                     "#~| msgid \"old\"", "#~|msgid", "\t# indented", "junk", "#~ # x", "#~ #, fuzzy"]),
    st.tuples(st.sampled_from(["#| msgctxt ", "#| msgid ", "#| msgid_plural ", "#| ", "#~ msgid ", "#~ msgstr ",
                               "#~ msgctxt ", "#~ ", "#~  msgstr[0] ", "  msgid "]), _STRING).map("".join),
)
_WORDS = st.sampled_from(['""', '"m"', '"n"', '"a b"', '"\\"q\\""', '"\\n"', '"é"'])


@st.composite
def _entry(draw: st.DrawFn) -> str:
    """A well-formed entry (comments, previous strings, keywords, continued strings, obsolete or not), so that
    many texts get past the reader's first lines."""
    keyword = "#~ " if draw(st.booleans()) else ""
    lines = draw(st.lists(st.sampled_from(["# t", "#", "#. g", "#: f.md:3 g", "#, fuzzy", "#.", "#~| x"]),
                          max_size=3))
    for name in draw(st.lists(st.sampled_from(["msgctxt", "msgid", "msgid_plural"]), max_size=2, unique=True)):
        lines.append(f"#| {name} {draw(_WORDS)}")
        lines += [f"#| {word}" for word in draw(st.lists(_WORDS, max_size=2))]

    def keyword_lines(name: str) -> list[str]:
        return [f"{keyword}{name} {draw(_WORDS)}", *(keyword + word for word in draw(st.lists(_WORDS, max_size=2)))]

    if draw(st.booleans()):
        lines += keyword_lines("msgctxt")
    lines += keyword_lines("msgid")
    if draw(st.booleans()):
        lines += keyword_lines("msgid_plural")
    if draw(st.booleans()):
        for index in draw(st.lists(st.sampled_from("0123"), min_size=1, max_size=3)):
            lines += keyword_lines(f"msgstr[{index}]")
    else:
        lines += keyword_lines("msgstr")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


_ENTRY = _entry()


LINES = st.lists(_ENTRY, min_size=1, max_size=6).flatmap(
    lambda entries: st.lists(_LINE, max_size=2).flatmap(
        lambda odd: st.permutations(entries + odd)
    )
) | st.lists(st.one_of(_LINE, _ENTRY), min_size=1, max_size=12)


@PROPERTY_SETTINGS
@given(LINES)
def test_what_the_reader_takes_the_check_accepts_and_polib_reads_the_same(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    catalog = read_po(text, WRAP_WIDTH)
    if catalog is None:
        return
    check_po_syntax(text, "x.po")
    assert snapshot(catalog) == snapshot(polib_reads(text))


def parse_as_before(text: str, path: str) -> polib.POFile:
    """parse_catalog as it was before the one-pass reader, for texts without the characters it hides."""
    if not text.strip():
        raise InputError(path, 1, "empty catalog")
    check_po_syntax(text, path)
    try:
        catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError, UnicodeError) as error:
        match = re.search(r"line (\d+)", str(error))
        raise InputError(path, int(match.group(1)) if match else None, f"broken PO file: {error}") from None
    catalog.encoding = "utf-8"
    return catalog


def outcome(parse: Callable[[str, str], polib.POFile], text: str) -> object:
    try:
        return snapshot(parse(text, "x.po"))
    except InputError as error:
        return str(error)


@PROPERTY_SETTINGS
@given(LINES)
def test_a_catalog_reads_the_same_or_fails_the_same_as_before(lines: list[str]) -> None:
    """Same objects, or the same one-line error naming the file and line."""
    text = "\n".join(lines) + "\n"
    assert outcome(parse_catalog, text) == outcome(parse_as_before, text)


def test_every_form_of_line_the_reader_knows() -> None:
    text = "\n".join([
        "# Header comment",
        "#",
        "#  indented header",
        "#, fuzzy",
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: x\\n"',
        '"Language: fr\\n"',
        '"X-Multi: one\\n"',
        '"two\\n"',
        "",
        "# translator",
        "#",
        "# after an empty one",
        "#. type: paragraph",
        "#.",
        "#: content/fr/a.md:3 content/fr/b-c.md:10 no-line",
        "#:",
        "#, fuzzy, python-format",
        '#| msgctxt "old context"',
        '#| msgid "old "',
        '#| "text"',
        '#| msgid_plural "old plural"',
        'msgctxt "context"',
        'msgid ""',
        '"Un \\"texte\\" "',
        '"sur deux lignes\\n"',
        'msgid_plural "plural"',
        'msgstr[0] "zero"',
        '"-continued"',
        'msgstr[1] "one \\\\ \\t"',
        "",
        "  \t",
        'msgid "second"',
        'msgstr "deuxième"',
        "",
        "#, fuzzy",
        '#~| msgid "previous of an obsolete one"',
        '#~ msgctxt "c"',
        '#~ msgid "gone"',
        '#~ ""',
        '#~ msgstr "parti"',
        "",
        "# a comment at the end, dropped by polib",
    ]) + "\n"
    assert_read_as_polib_reads(text)
    catalog = parse_catalog(text, "x.po")
    assert catalog.metadata["X-Multi"] == "one\ntwo"
    assert [entry.linenum for entry in catalog] == [12, 34, 37]
    assert catalog[0].previous_msgid == "old text"
    assert catalog[2].obsolete


def test_polib_quirks_are_kept() -> None:
    """polib drops a last entry followed by nothing but ``#~|`` lines, keeps a translator comment's first
    empty line out, and reads only one digit of a plural index: so does the reader, or it leaves the text."""
    assert_read_as_polib_reads('msgid "a"\nmsgstr "b"\n#~| msgid "x"\n')
    assert_read_as_polib_reads('#.\n#\n# a\n#\n# b\nmsgid "a"\nmsgstr "b"\n')
    assert read_po('msgid "a"\nmsgid_plural "b"\nmsgstr[10] "c"\n', WRAP_WIDTH) is None
    two_headers = 'msgctxt "c"\nmsgid ""\nmsgstr "A: 1\\n"\n\nmsgid ""\nmsgstr "B: 2\\n"\n'
    assert read_po(two_headers, WRAP_WIDTH) is None
    assert snapshot(parse_catalog(two_headers, "x.po")) == snapshot(polib_reads(two_headers))
    assert polib_reads(two_headers).metadata == {"B": "2"}


def test_real_catalogs_are_read_in_one_pass_as_polib_reads_them() -> None:
    paths = sorted((REPO / "locales").rglob("*.po*"))
    if SHARED_DATA.is_dir():
        paths += sorted((SHARED_DATA / "po").rglob("*.po*"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        if any(char in text for char in OUTSIDE):
            assert read_po(text, WRAP_WIDTH) is None
            continue
        assert_read_as_polib_reads(text)
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} not found: only the repository's own catalogs were compared")


def test_a_common_catalog_is_read_without_polib_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = render_catalog(polib_reads('msgid ""\nmsgstr "Language: en\\n"\n\n#. c\nmsgid "a"\nmsgstr "b"\n'))

    def refused(*args: object) -> None:
        raise AssertionError("polib's parser was used")

    monkeypatch.setattr(polib._POFileParser, "parse", refused)
    catalog = parse_catalog(text, "x.po")
    assert [(entry.msgid, entry.msgstr, entry.comment) for entry in catalog] == [("a", "b", "c")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('msgid "a"\r\nmsgstr "b"\r\n#\rmsgid "c"\nmsgstr "d"\n', [("a", 0, 0), ("c", 3, 0)]),  # a lone CR
        ('msgid "a\u2028b"\nmsgstr "c\x1c"\n', [("a\u2028b", 0, 0)]),  # line ends for str.splitlines only
        ('msgid "a"\n# between\nmsgstr "b"\n', [("a", 0, 0)]),  # a comment among keywords
        ('#~ msgid "half"\nmsgstr "obsolete"\n', [("half", 0, 1)]),
        ('msgid "a"\n#| "x"\nmsgstr "b"\n', [("ax", 0, 0)]),
        ('msgid "a"\nmsgstr "b"\n##double\nmsgid "c"\nmsgstr "d"\n', [("a", 0, 0), ("c", 3, 0)]),
    ],
)
def test_an_uncommon_catalog_is_read_the_old_way(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert read_po(text, WRAP_WIDTH) is None
    assert [(entry.msgid, entry.linenum, entry.obsolete) for entry in parse_catalog(text, "x.po")] == expected


# ---- the stream: the same entries, one at a time (what build reads; issue 16, item 6)


def entries_snapshot(entries: object) -> list[tuple[type, list[tuple[str, object]]]]:
    return snapshot(polib.POFile())[2] if entries is None else [
        (type(entry), [(name, list(value.items()) if isinstance(value, dict) else value)
                       for name, value in vars(entry).items()])
        for entry in entries  # type: ignore[attr-defined]
    ]


def assert_streamed_as_read(text: str) -> None:
    """The stream gives ``for entry in read_po(text)``, object for object; when read_po leaves the text to the
    general way, the stream says so (UncommonForm), possibly after some entries."""
    catalog = read_po(text.removeprefix("\ufeff"), WRAP_WIDTH)  # (parse_catalog removes the BOM before)
    if catalog is None:
        with pytest.raises(UncommonForm):
            list(stream_po(text))
        return
    assert entries_snapshot(stream_po(text)) == entries_snapshot(catalog)


@PROPERTY_SETTINGS
@given(catalogs())
def test_a_catalog_is_streamed_as_it_is_read(catalog: polib.POFile) -> None:
    assert_streamed_as_read(str(catalog))
    assert_streamed_as_read(render_catalog(catalog))
    assert_streamed_as_read("\ufeff" + render_catalog(catalog).replace("\n", "\r\n"))


@PROPERTY_SETTINGS
@given(LINES)
def test_any_po_like_text_is_streamed_as_it_is_read(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    if text.strip():
        assert_streamed_as_read(text)


def test_real_catalogs_are_streamed_as_they_are_read() -> None:
    paths = sorted((REPO / "locales").rglob("*.po*"))
    if SHARED_DATA.is_dir():
        paths += sorted((SHARED_DATA / "po").rglob("*.po*"))
    for path in paths:
        assert_streamed_as_read(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} not found: only the repository's own catalogs were compared")


TRICKY = '''# Translators' header
msgid ""
msgstr ""
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. type: paragraph
#: post.md:3 post.md:9
#, fuzzy
#| msgctxt "old context"
#| msgid "An old "
#| "source text"
msgctxt "context"
msgid ""
"A long source text that was wrapped by some tool at its own width, with "
"\\"quotes\\", a tab\\there and a backslash \\\\ and a line\\nbreak."
msgstr "Un texte « traduit »"

msgid "one file"
msgid_plural "%d files"
msgstr[0] "un fichier"
msgstr[1] "%d fichiers"

# a translator's note
msgid "empty"
msgstr ""

#, fuzzy
#~ msgid "gone"
#~ msgstr "parti"
'''


def test_a_tricky_catalog_is_streamed_as_polib_reads_it() -> None:
    """Plural forms, msgctxt, fuzzy with previous msgid and msgctxt, wrapped strings, escapes, obsolete
    entries, a header: the stream's entries are polib's."""
    streamed = list(stream_po(TRICKY))
    assert entries_snapshot(streamed) == entries_snapshot(polib_reads(TRICKY))
    assert streamed[3].fuzzy and streamed[0].msgctxt == "context" and streamed[0].previous_msgctxt == "old context"
    assert streamed[1].msgstr_plural == {0: "un fichier", 1: "%d fichiers"}
    odd = TRICKY.replace('msgid "empty"\n', 'msgid "empty"\n# a comment among keywords\n')  # polib's form only
    assert entries_snapshot(CatalogText(odd, Path("x.po")).scan(list)) == entries_snapshot(polib_reads(odd))
    assert [entry.msgid for entry in streamed] == [
        'A long source text that was wrapped by some tool at its own width, with "quotes", a tab\there and a '
        "backslash \\ and a line\nbreak.",
        "one file",
        "empty",
        "gone",
    ]
    assert streamed[0].previous_msgid == "An old source text" and streamed[3].obsolete


def test_a_catalog_text_scan_starts_again_the_general_way() -> None:
    """A text the stream cannot take after some entries is scanned again on the parsed catalog; a broken one
    is an error naming its line, as parsing says it."""
    text = 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n# a comment among keywords\nmsgstr "d"\n'
    seen: list[list[str]] = []

    def msgids(entries: Iterable[polib.POEntry]) -> list[str]:
        seen.append([])
        for entry in entries:
            seen[-1].append(entry.msgid)
        return seen[-1]

    assert CatalogText(text, Path("x.po")).scan(msgids) == ["a", "c"]
    assert seen == [["a"], ["a", "c"]]
    assert CatalogText('msgid "a\u2028b"\nmsgstr "c"\n', Path("x.po")).scan(msgids) == ["a\u2028b"]
    with pytest.raises(InputError, match=r"x\.po:4"):
        CatalogText('msgid "a"\nmsgstr "b"\n\nmsgid "c\n', Path("x.po")).scan(list)
    with pytest.raises(InputError, match="empty catalog"):
        CatalogText("\n \n", Path("x.po")).scan(list)


# ---- the read-only records a run reads the catalog it updates as (l10n.catalog.light)

RECORD_FIELDS = ("msgid", "msgstr", "msgid_plural", "msgctxt", "obsolete", "comment", "tcomment", "previous_msgctxt",
                 "previous_msgid", "previous_msgid_plural", "linenum", "fuzzy")


def as_records(catalog: polib.POFile) -> tuple[object, ...]:
    """What a catalog says, its entries' containers as tuples (the records' form)."""
    head = (catalog.header, list(catalog.metadata.items()), catalog.metadata_is_fuzzy, catalog.wrapwidth,
            catalog.encoding)
    return head, [
        (*(getattr(entry, name) for name in RECORD_FIELDS), tuple(entry.flags),
         tuple(tuple(occurrence) for occurrence in entry.occurrences), sorted(entry.msgstr_plural.items()))
        for entry in catalog
    ]


def records_outcome(read: Callable[[str, str], polib.POFile], text: str) -> object:
    try:
        return as_records(read(text, "x.po"))
    except InputError as error:
        return str(error)


@PROPERTY_SETTINGS
@given(st.one_of(catalogs().map(render_catalog), catalogs().map(str), LINES.map(lambda lines: "\n".join(lines) + "\n")))
def test_records_say_what_the_parsed_catalog_says_or_fail_the_same(text: str) -> None:
    assert records_outcome(read_records, text) == records_outcome(parse_catalog, text)


def test_records_of_a_text_outside_the_common_form_are_read_the_general_way() -> None:
    text = 'msgid "a"\n# a comment among keywords\nmsgstr "b\u2028c"\n'
    records = read_records(text, "x.po")
    assert as_records(records) == as_records(parse_catalog(text, "x.po"))
    assert [type(entry) for entry in records] == [Record]


def test_records_cannot_be_changed_in_place() -> None:
    (record,) = read_records('msgid "a"\nmsgstr "b"\n', "x.po")
    with pytest.raises(AttributeError):
        record.flags.append("fuzzy")  # shared with every entry without flags: never changed in place
    with pytest.raises(TypeError):
        record.msgstr_plural[0] = "x"  # type: ignore[index]
