"""Numbers and lists written the Vietnamese way, as the publications print them.

Decimal comma and dot thousands (1.234,5). Which decimals a figure keeps follows the seeds:

* a score beside its maximum is written short, trailing zeros dropped: "62,3/70", "53/60"
  (Thừa Thiên Huế 2017);
* a total standing alone is written as an annex prints it, two decimals unless whole:
  "417,30 điểm", "106,42 điểm", "105 điểm" (Hưng Yên 2018);
* a criterion score standing alone keeps only the decimals it needs: "85,5 điểm", "6,74 điểm";
* percentages at most two decimals, trailing zeros dropped ("89%", "88,33%"); indices at
  most four ("0,65", "0,7234").

Tables print fixed decimals instead, one rule for every table as annexes do: points,
percentages and an indicator's reported values 2, indices 4.
Every rounding is half up, on the exact Decimal.
"""

from decimal import ROUND_HALF_UP, Decimal


def number(value, places: int, trim: bool = False) -> str:
    """`value` rounded half up to `places` decimals; `trim` drops trailing zeros."""
    if value is None:
        return ""
    exact = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if exact < 0 else ""
    whole, _, decimals = f"{abs(exact):,.{places}f}".partition(".")
    if trim:
        decimals = decimals.rstrip("0")
    return sign + whole.replace(",", ".") + ("," + decimals if decimals else "")


def points(value) -> str:
    """A score, at most 2 decimals, trailing zeros dropped: 85,5."""
    return number(value, 2, trim=True)


def total(value) -> str:
    """A total standing alone: 2 decimals unless whole: 417,30; 105."""
    if value is None:
        return ""
    return number(value, 0) if Decimal(value) == Decimal(value).to_integral_value() else number(value, 2)


def fraction(score, maximum) -> str:
    """A score out of its maximum: 62,3/70."""
    return f"{points(score)}/{points(maximum)}"


def percent(value) -> str:
    """A percentage (without the sign), at most 2 decimals: 89; 88,33."""
    return number(value, 2, trim=True)


def index(value) -> str:
    """An index in 0..1, at most 4 decimals: 0,65."""
    return number(value, 4, trim=True)


def fixed(value, places: int) -> str:
    """A table cell: exactly `places` decimals."""
    return number(value, places)


def signed(value, places: int) -> str:
    """A change in a table: +0,0700; -1,50; 0,00."""
    if value is None:
        return ""
    text = number(value, places)
    return "+" + text if Decimal(value) > 0 and text.strip("0,.") else text


def ordinal(rank: int) -> str:
    """"xếp thứ nhất", "xếp thứ 2": the publications spell out only the first."""
    return "nhất" if rank == 1 else str(rank)


def join(items, last: str = "và") -> str:
    """A, B và C."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
