"""How precisely the lecture writes each kind of number: one rule per quantity, for every scene.

Pure Python (no manim). A number is written to a *resolution* (the smallest difference it
shows: 0.01 writes 168.34); the scenes turn a resolution into digits with
``scenes.number_format.number_text`` (fixed decimals at ordinary sizes, mantissa × 10^e when huge or
tiny), so the same quantity reads the same in every scene.

- Heights quantities (mu, mu-hat, sigma, a moving readout): :func:`heights_resolution`,
  from the samples' own precision and the spread; one sample as it is written:
  :func:`sample_resolution`.
- The estimate p-hat = k / n: :func:`p_hat_decimals` (exact when short, else 4 decimals).
- Probabilities and likelihood values of the phone-OS data: :data:`PROBABILITY_DECIMALS`.
- The phone-OS data's log likelihood and NLL values and the NLL's gradient:
  :data:`LOSS_DECIMALS` (the deck's NLL(p̂) ≈ 6.1086).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

__all__ = ["LOSS_DECIMALS", "MAX_DECIMALS", "PROBABILITY_DECIMALS", "P_HAT_MAX_DECIMALS", "heights_decimals", "heights_resolution",
           "p_hat_decimals", "sample_resolution", "written_decimals"]

MAX_DECIMALS = 15           # a double carries no more
PROBABILITY_DECIMALS = 4    # 0.2668, 0.0022; below 0.001 three significant digits (1.23×10⁻⁵)
P_HAT_MAX_DECIMALS = 4      # 0.7, 0.62, 0.6667
LOSS_DECIMALS = 4           # log L, NLL and dNLL/dp of the phone data: 6.1086, -0.9368; huge or tiny 4 digits


def written_decimals(value: float) -> int:
    """Decimal places of a number as written (its shortest repr): 164.95 has 2, 1e-11 has 11.

    >>> written_decimals(164.95), written_decimals(170.0), written_decimals(1e-11), written_decimals(2.5e12)
    (2, 0, 11, 0)
    """
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return 0
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return int(min(max(0, -int(exponent)), MAX_DECIMALS))


def heights_resolution(samples: Iterable[float], sigma: float) -> float:
    """The smallest difference a heights quantity is written to, in the data's unit: a power
    of ten, one decimal finer than the samples are written with, but no finer than about a
    hundredth of ``sigma`` (the spread the lecture draws).

    Deck (samples like 164.95, sigma 2.62): 0.01, so mu-hat reads 168.34; 25 heights in metres
    (1.728, sigma 0.07): 0.0001, mu-hat 1.6968.

    >>> heights_resolution([164.95, 172.63], 2.62), heights_resolution([1.728, 1.7], 0.0706)
    (0.01, 0.0001)
    >>> heights_resolution([60, 72], 3.0), heights_resolution([1.5e12, 2.5e12], 3.4e11)
    (0.1, 1000000000.0)
    """
    own = max((written_decimals(x) for x in samples), default=0)
    finest = 10.0 ** -min(own + 1, MAX_DECIMALS)
    sigma = abs(float(sigma))
    spread = 10.0 ** math.floor(math.log10(sigma / 100.0)) if sigma > 0 and math.isfinite(sigma) else finest
    return float(f"{max(finest, spread):.0e}")


def sample_resolution(samples: Iterable[float], sigma: float) -> float:
    """The resolution a single sample is shown at: as the samples are written (1.728, not
    1.7280), never finer than :func:`heights_resolution`.

    >>> sample_resolution([1.728, 1.7], 0.0706), sample_resolution([164.95, 172.63], 2.62)
    (0.001, 0.01)
    """
    own = max((written_decimals(x) for x in samples), default=0)
    return max(float(f"{10.0 ** -own:.0e}"), heights_resolution(samples, sigma))


def heights_decimals(samples: Iterable[float], sigma: float) -> int:
    """Decimal places of a heights quantity at ordinary sizes (0 when the resolution is 1 or
    coarser).

    >>> heights_decimals([164.95, 172.63], 2.62), heights_decimals([1.728, 1.7], 0.0706)
    (2, 4)
    """
    resolution = heights_resolution(samples, sigma)
    return int(min(max(0, -math.floor(math.log10(resolution) + 1e-9)), MAX_DECIMALS))


def p_hat_decimals(k: int, n: int) -> int:
    """Decimal places of p-hat = k / n: the fewest that write it exactly, at most 4.

    >>> p_hat_decimals(7, 10), p_hat_decimals(31, 50), p_hat_decimals(2, 3), p_hat_decimals(5, 5)
    (1, 2, 4, 1)
    """
    value = int(k) / int(n)
    for decimals in range(1, P_HAT_MAX_DECIMALS + 1):
        if abs(round(value, decimals) - value) <= 1e-12:
            return decimals
    return P_HAT_MAX_DECIMALS
