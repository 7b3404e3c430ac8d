"""Numbers that are no reported figure, and changes that are no range (invented sentences)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(quantities_nlp):
    return quantities_nlp


def texts(nlp, text: str) -> list[str]:
    return [q.text for q in nlp(text)._.quantities]


@pytest.mark.parametrize("text", [
    "date 2031-04-17 Sylvania has sent tanks to the front.",
    "The ministry kept its plans.\n($1 = 92.1234 crowns)",
    "A law on contracts for 19- to 24-year-olds will be presented.",
    "Anna Petrenko, 41, told reporters that the town was quiet.",
])
def test_no_figure_in_dates_exchange_rates_and_ages(nlp, text):
    assert texts(nlp, text) == []


def test_a_change_from_one_value_to_another_is_two_figures(nlp):
    qs = nlp("The central bank raised its key rate from 11% to 13% on Friday.")._.quantities
    assert [(q.value, q.qualifier) for q in qs] == [(11, "exact"), (13, "exact")]


def test_from_to_without_a_word_of_change_stays_a_range(nlp):
    (q,) = nlp("The plant makes from 20 to 30 drones a day.")._.quantities
    assert (q.low, q.high, q.qualifier) == (20, 30, "range")


def test_a_figure_after_a_year_and_to_is_no_date(nlp):
    qs = nlp("Freedonia raised defence spending by a quarter in 2030 to 7.1% of GDP.")._.quantities
    assert [q.value for q in qs] == [7.1]
