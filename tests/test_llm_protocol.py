"""The llm backend's reply reading: a reply in the asked form reads back exactly; any other form is refused."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from l10n.translate.llm_protocol import PostContext, Segment, follow_up, messages_for, parse_reply

texts = st.text(min_size=0, max_size=40)
batches = st.lists(texts, min_size=1, max_size=8)


def _reply(items: list[tuple[int, str]]) -> str:
    return json.dumps({"translations": [{"id": number, "text": text} for number, text in items]}, ensure_ascii=False)


@given(batches)
def test_a_reply_in_the_asked_form_reads_back_exactly(translations: list[str]) -> None:
    ids = list(range(1, len(translations) + 1))
    reply = parse_reply(_reply(list(zip(ids, translations, strict=True))), ids)
    assert reply.sound and reply.translations == dict(zip(ids, translations, strict=True))


@given(batches, st.randoms(use_true_random=False))
def test_any_reordering_is_refused(translations: list[str], random: object) -> None:
    ids = list(range(1, len(translations) + 1))
    shuffled = list(zip(ids, translations, strict=True))
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    reply = parse_reply(_reply(shuffled), ids)
    assert reply.sound == ([number for number, _ in shuffled] == ids)


@given(batches, st.sampled_from(["```json\n{}\n```", "Voici la traduction : {}", "{} Done.", "{}\n{}"]))
def test_anything_around_the_object_is_refused(translations: list[str], wrapper: str) -> None:
    ids = list(range(1, len(translations) + 1))
    content = wrapper.replace("{}", _reply(list(zip(ids, translations, strict=True))))
    assert not parse_reply(content, ids).sound


def test_each_fault_is_named() -> None:
    ids = [1, 2, 3]
    assert "missing id 3" in parse_reply(_reply([(1, "a"), (2, "b")]), ids).problems
    assert "id 7 was not asked for" in parse_reply(_reply([(1, "a"), (2, "b"), (3, "c"), (7, "x")]), ids).problems
    assert "id 1 appears more than once" in parse_reply(_reply([(1, "a"), (1, "a"), (2, "b"), (3, "c")]), ids).problems
    assert not parse_reply('{"translations": [{"id": "1", "text": "a"}]}', [1]).sound  # ids are integers
    assert not parse_reply('{"translations": [{"id": 1, "text": "a"', [1]).sound  # cut short


@given(st.lists(st.tuples(texts, st.text(max_size=10)), min_size=1, max_size=5))
def test_the_request_carries_each_segment_as_json(items: list[tuple[str, str]]) -> None:
    segments = [Segment(n, text, kind or "paragraph", ("Titre",)) for n, (text, kind) in enumerate(items, start=1)]
    messages = messages_for(PostContext("a.md", "Titre"), segments, "fr", "en", "Tutoyer.")
    assert messages[0]["role"] == "system" and "Tutoyer." in messages[0]["content"]
    payload = json.loads(messages[1]["content"])
    assert [(s["id"], s["text"]) for s in payload["segments"]] == [(s.id, s.text) for s in segments]
    again = follow_up(messages, "nope", ["missing id 1"], segments[:1])
    assert [m["role"] for m in again] == ["system", "user", "assistant", "user"]
    tail = again[-1]["content"]
    assert json.loads(tail[tail.index("\n{") + 1 :])["segments"][0]["text"] == segments[0].text
