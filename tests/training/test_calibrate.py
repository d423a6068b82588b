"""Fitting the abstention midpoints (`training.calibrate`, pure functions over readings)."""

import numpy as np

from training.calibrate import Readings, answered, fit_loose, fit_midpoint, fit_typed


def readings(*rows: tuple[float, str]) -> Readings:
    """Each reading a margin and its span's standing: "held", "typed" (held, and of the asked type),
    "loose" (lacks only paraphrasable words) or "lacking"."""
    return Readings(
        np.array([m for m, _ in rows]),
        np.array([k in ("held", "typed") for _, k in rows]),
        np.array([k == "loose" for _, k in rows]),
        np.array([k == "typed" for _, k in rows]),
    )


# Held spans separate at 0: said above, unsaid below. Loose ones separate only higher, at 6; a span
# lacking more is never answered, however sure.
SAID = readings((2.0, "held"), (3.0, "held"), (8.0, "loose"), (9.0, "loose"))
UNSAID = readings((-3.0, "held"), (-2.0, "held"), (4.0, "loose"), (5.0, "loose"), (12.0, "lacking"))


def test_the_midpoint_separates_the_margins_alone() -> None:
    midpoint, scale = fit_midpoint(np.array([2.0, 3.0]), np.array([-3.0, -2.0]))
    assert -2.0 <= midpoint < 2.0 and scale > 0


def test_answered_applies_each_midpoint_to_its_own_spans() -> None:
    assert answered(SAID, UNSAID, 0.0, np.inf) == (0.5, 1.0)  # every term required
    assert answered(SAID, UNSAID, 0.0, 0.0) == (1.0, 0.6)  # one bar for held and loose
    assert answered(SAID, UNSAID, 0.0, 6.0) == (1.0, 1.0)


def test_the_loose_midpoint_is_fitted_with_the_first_held() -> None:
    loose = fit_loose(SAID, UNSAID, 0.0)
    assert 5.0 <= loose < 8.0
    assert answered(SAID, UNSAID, 0.0, loose) == (1.0, 1.0)


def test_spans_of_the_asked_type_get_a_midpoint_of_their_own() -> None:
    # Dates and amounts where the passage says it read lower than other held spans (-1, -0.5) and
    # still above what the reader finds where it does not (-4): their own bar sits between.
    said = readings((2.0, "held"), (3.0, "held"), (-1.0, "typed"), (-0.5, "typed"))
    unsaid = readings((-3.0, "held"), (-2.0, "held"), (-4.0, "typed"))
    typed = fit_typed(said, unsaid, 0.0, np.inf)
    assert -4.0 <= typed < -1.0
    assert answered(said, unsaid, 0.0, np.inf, typed) == (1.0, 1.0)
    assert answered(said, unsaid, 0.0, np.inf) == (0.5, 1.0)  # one midpoint for all
