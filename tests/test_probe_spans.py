"""bench/probe_spans.py: a found span labelled from a render's truth as the bench counts it."""

import pytest

from bench.probe_spans import label_span

TRUTH = {
    "transitions": [
        {"kind": "dissolve", "start_s": 2.875, "end_s": 3.5, "similar": True},
        {"kind": "vuslice", "start_s": 6.0417, "end_s": 6.7917},
    ],
    "cuts_s": [20.0],
    "negatives": [{"kind": "bird_pass", "start_s": 33.4, "end_s": 34.4}],
}


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        pytest.param(
            (2.3, 4.2),
            {"true": True, "kinds": ["dissolve"], "similar": True, "negatives": []},
            id="similar_dissolve",
        ),
        pytest.param(
            (6.9, 7.2),
            {"true": True, "kinds": ["vuslice"], "similar": False, "negatives": []},
            id="within_half_a_second",
        ),
        pytest.param(
            (19.6, 19.8),
            {"true": True, "kinds": ["cut"], "similar": False, "negatives": []},
            id="cut",
        ),
        pytest.param(
            (32.13, 35.03),
            {"true": False, "kinds": [], "similar": False, "negatives": ["bird_pass"]},
            id="false_next_to_a_negative",
        ),
        pytest.param(
            (10.0, 12.0),
            {"true": False, "kinds": [], "similar": False, "negatives": []},
            id="false",
        ),
    ],
)
def test_a_span_is_labelled_as_the_bench_counts_it(span, expected):
    assert label_span(TRUTH, *span) == expected
