"""A run's spool (``l10n.store.spool.Rows``): the same rows back, in the order added or by key, whether they
stayed in memory or went to disk past the bound."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.store.spool import Rows

KEYS = st.text(alphabet=st.sampled_from(["a", "b", "/", "é", "\ud800", "z", "0"]), max_size=4)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(KEYS, st.integers()), max_size=30), st.sampled_from([0, 3, 1000]))
def test_rows_come_back_in_order_added_and_by_key_whatever_the_bound(
    items: list[tuple[str, int]], bound: int
) -> None:
    rows = Rows()
    rows.IN_MEMORY = bound  # a small bound sends the rows to the database part of the way through
    for number, (key, value) in enumerate(items):
        rows.add([key, value, number], key=key)
    assert len(rows) == len(items)
    assert [tuple(row) for row in rows] == [(key, value, n) for n, (key, value) in enumerate(items)]
    by_key = sorted(
        ((key, value, n) for n, (key, value) in enumerate(items)),
        key=lambda row: (row[0].encode("utf-8", "surrogatepass"), row[2]),
    )
    assert [tuple(row) for row in rows.by_key()] == by_key
    rows.clear()
    assert len(rows) == 0 and list(rows) == []


@pytest.mark.parametrize("bound", [0, 1000])
def test_rows_added_after_a_clear_are_the_only_ones(bound: int) -> None:
    rows = Rows()
    rows.IN_MEMORY = bound
    rows.add(["old"], key="b")
    rows.clear()
    rows.add(["new"], key="a")
    assert list(rows) == [["new"]] and list(rows.by_key()) == [["new"]]
