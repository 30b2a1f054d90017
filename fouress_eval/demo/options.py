"""The options of ``fouress-eval demo --national``, checked before anything is written.

:func:`national_options` turns the command-line values into the keyword arguments of
:func:`~fouress_eval.demo.national.write_national_demo`, raising :class:`InputError` (exit 2) that
names the option for a value the generator would refuse or that makes no sense.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..errors import InputError
from ..municipalities import municipality_code
from .national import COVID_START, HORIZON, START_WINDOW

__all__ = ["national_options", "through_month"]


def through_month(value: str) -> pd.Period:
    """``--through`` as a monthly ``pandas.Period``; YYYY-MM only (an InputError otherwise)."""
    if not re.fullmatch(r"\d{4}-\d{2}", value.strip()) or not 1 <= int(value.strip()[5:]) <= 12:
        raise InputError("--through is not a month", value=value, expected="YYYY-MM, e.g. 2021-12")
    return pd.Period(value.strip(), freq="M")


def national_options(through: str | None, covid: bool | None, n_adopters: int | None,
                     municipalities: Iterable[str] | None) -> dict:
    """``{through, covid, n_adopters, municipalities}`` for ``write_national_demo``, checked.

    ``through``: the last month, YYYY-MM (default 2019-12), from six months after the first adopter's
    start up to the current month; ``covid``: None (the generator decides), True (needs ``through``
    at or after the shock) or False; ``n_adopters``: default 20, at most the municipalities
    generated; ``municipalities``: codes or names (None: all 290), returned as unique codes in order.
    """
    last = through_month(through or "2019-12")
    earliest = START_WINDOW[0] + 6
    latest = min(pd.Timestamp.today().to_period("M"), HORIZON)
    if last > latest:
        raise InputError("--through is in the future: the data would hold months that have not happened "
                         "(prepare refuses them)", value=through, expected=f"a month from {earliest} to {latest}")
    if last < earliest:
        raise InputError("--through leaves no room for adopters (the first start is "
                         f"{START_WINDOW[0]}, six months of follow-up are the least)", value=through,
                         expected=f"a month from {earliest} to {latest}")
    if covid and last < COVID_START:
        raise InputError(f"--covid needs --through {COVID_START} or later (the shock starts then)",
                         value=str(last), expected=f"--through {COVID_START} or later, or no --covid")
    codes = None
    if municipalities is not None:
        codes = []
        for item in municipalities:
            try:
                code = municipality_code(item)
            except InputError as error:
                raise InputError(f"--municipalities: {error.message}", value=error.value,
                                 expected=error.expected) from None
            if code not in codes:
                codes.append(code)
    count = len(codes) if codes is not None else 290
    n = min(20, count) if n_adopters is None else n_adopters
    if n > count:
        raise InputError("--adopters is more than the municipalities generated", value=n,
                         expected=f"at most {count}")
    return {"through": str(last), "covid": covid, "n_adopters": n, "municipalities": codes}
