"""What goes to a chat model and what must come back: the messages of a request for one batch of a post's
segments, the JSON schema of the reply, and the strict reading of that reply.

Pure functions of text, no I/O. A reply is untrusted input: :func:`parse_reply` accepts exactly one JSON
object (no code fence, no text before or after) whose ``translations`` list carries each requested id once,
in the order asked; anything else is described in plain words, so the follow-up message can tell the model
what to mend.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

CHARS_PER_TOKEN = 4.0  # a rough average for European languages; estimates only, never billing
OUTPUT_EXPANSION = 1.3  # a translation is often longer than its source, and the reply adds JSON around it

RULES = """\
You translate segments of one Markdown blog post from {source} to {target}.
The user message is a JSON object: "post" (title, description and path of the post, for context), "glossary" \
(required translations of terms, and names that stay as they are), and "segments", in the order they appear in \
the post, each with an "id", its "kind" (heading, paragraph, table cell, front matter field...), the \
"headings" it sits under, and its "text".
Rules for the text of each segment:
- Tags stand for markup and must survive exactly: <gN>...</gN> wraps text that stays marked up (emphasis, link \
text): translate the text between the tags and keep the pair around its translation, in order, never nested \
differently. <xN/> stands for something kept as it is (code, a URL, an HTML tag, a glossary term, a footnote): \
each must appear exactly once, unchanged.
- Add no markup, HTML, links, URLs, code or template syntax the source does not have; keep numbers as they are.
- Translate every segment on its own: never merge, split, skip or reorder segments.
Reply with only a JSON object, no code fence and no text before or after it: \
{{"translations": [{{"id": <the segment's id>, "text": "<its translation>"}}, ...]}}, one item per segment, \
in the order given."""

STYLE_HEADING = "Style guide of the site:"

RESPONSE_SCHEMA: dict[str, Any] = {
    "name": "translations",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {
            "translations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                    "required": ["id", "text"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["translations"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class Segment:
    """One segment as sent: ``text`` is the placeholder-encoded msgid."""

    id: int
    text: str
    kind: str = "paragraph"
    headings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostContext:
    """What the model is told about the post a batch comes from."""

    path: str
    title: str = ""
    description: str = ""
    terms: tuple[tuple[str, str], ...] = ()  # (source term, target term) occurring in the post


@dataclass(frozen=True)
class Reply:
    """A reply read strictly: the translations by id, and what was wrong with its form (empty when sound)."""

    translations: dict[int, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def sound(self) -> bool:
        return not self.problems


def system_message(source: str, target: str, instructions: str = "") -> dict[str, str]:
    text = RULES.format(source=source, target=target)
    if instructions.strip():
        text += f"\n{STYLE_HEADING}\n{instructions.strip()}"
    return {"role": "system", "content": text}


def _segment_json(segment: Segment) -> dict[str, Any]:
    item: dict[str, Any] = {"id": segment.id, "kind": segment.kind}
    if segment.headings:
        item["headings"] = list(segment.headings)
    item["text"] = segment.text
    return item


def user_message(context: PostContext, segments: Sequence[Segment]) -> dict[str, str]:
    post = {key: value for key, value in (("path", context.path), ("title", context.title),
                                          ("description", context.description)) if value}
    glossary = [
        {"source": source, "target": target, **({"keep": True} if source == target else {})}
        for source, target in context.terms
    ]
    payload: dict[str, Any] = {"post": post}
    if glossary:
        payload["glossary"] = glossary
    payload["segments"] = [_segment_json(segment) for segment in segments]
    return {"role": "user", "content": json.dumps(payload, ensure_ascii=False, indent=1)}


def messages_for(
    context: PostContext, segments: Sequence[Segment], source: str, target: str, instructions: str = ""
) -> list[dict[str, str]]:
    """The messages of the first request for a batch."""
    return [system_message(source, target, instructions), user_message(context, segments)]


def follow_up(
    messages: Sequence[dict[str, str]], reply: str, problems: Sequence[str], segments: Sequence[Segment]
) -> list[dict[str, str]]:
    """The conversation asking once more for ``segments``, stating what was wrong with ``reply``."""
    listed = "\n".join(f"- {problem}" for problem in problems)
    redo = json.dumps({"segments": [_segment_json(segment) for segment in segments]}, ensure_ascii=False, indent=1)
    text = (
        f"Your reply could not be used:\n{listed}\n"
        "Translate these segments again, following every rule, and reply with only the JSON object "
        f"(one item per segment below, in this order):\n{redo}"
    )
    return [*messages, {"role": "assistant", "content": reply}, {"role": "user", "content": text}]


def parse_reply(content: str, expected: Sequence[int]) -> Reply:
    """Read ``content`` as the reply to a request for the ids ``expected`` (in that order)."""
    stripped = content.strip()
    if stripped.startswith("```"):
        return Reply(problems=("the JSON object was wrapped in a code fence; send the bare object",))
    if not stripped.startswith("{"):
        before = stripped.split("{", 1)[0].strip()
        what = f"text before the JSON object ({_excerpt(before)})" if before else "no JSON object"
        return Reply(problems=(f"{what}; send only the object",))
    try:
        data, end = json.JSONDecoder().raw_decode(stripped)
    except (json.JSONDecodeError, RecursionError) as error:
        return Reply(problems=(f"the reply is not valid JSON ({error.msg} at character {error.pos})",)) \
            if isinstance(error, json.JSONDecodeError) else Reply(problems=("the reply is not valid JSON",))
    if stripped[end:].strip():
        return Reply(problems=(f"text after the JSON object ({_excerpt(stripped[end:].strip())})",))
    items = data.get("translations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return Reply(problems=('the object has no "translations" list',))
    return _read_items(items, expected)


def _read_items(items: list[Any], expected: Sequence[int]) -> Reply:
    translations: dict[int, str] = {}
    order: list[int] = []
    problems: list[str] = []
    wanted = set(expected)
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or type(item.get("id")) is not int:
            problems.append('an item is not {"id": <integer>, "text": <string>}')
            continue
        number, text = item["id"], item["text"]
        if number not in wanted:
            problems.append(f"id {number} was not asked for")
        elif number in translations:
            problems.append(f"id {number} appears more than once")
        else:
            translations[number] = text
            order.append(number)
    missing = [number for number in expected if number not in translations]
    if missing:
        problems.append(f"missing id{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))}")
    if order != [number for number in expected if number in translations]:
        problems.append("the items are not in the order of the segments")
    return Reply(translations, tuple(dict.fromkeys(problems)))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 40 else text[:37] + "...")


def estimate_tokens(characters: int) -> int:
    return round(characters / CHARS_PER_TOKEN)


def request_characters(messages: Sequence[dict[str, str]]) -> int:
    return sum(len(message["content"]) for message in messages)
