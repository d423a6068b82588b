"""Fitting the abstention midpoints (`training.calibrate`, pure functions over readings)."""

import numpy as np

from training.calibrate import Readings, answered, fit_midpoint, fit_unheld


def readings(*pairs: tuple[float, bool]) -> Readings:
    return Readings(np.array([m for m, _ in pairs]), np.array([h for _, h in pairs], dtype=bool))


# Held spans separate at 0: said above, unsaid below. Unheld ones separate only higher, at 6.
SAID = readings((2.0, True), (3.0, True), (8.0, False), (9.0, False))
UNSAID = readings((-3.0, True), (-2.0, True), (4.0, False), (5.0, False))


def test_the_midpoint_separates_the_margins_alone() -> None:
    midpoint, scale = fit_midpoint(np.array([2.0, 3.0]), np.array([-3.0, -2.0]))
    assert -2.0 <= midpoint < 2.0 and scale > 0


def test_answered_applies_each_midpoint_to_its_own_spans() -> None:
    assert answered(SAID, UNSAID, 0.0, np.inf) == (0.5, 1.0)  # every unheld span capped
    assert answered(SAID, UNSAID, 0.0, 0.0) == (1.0, 0.5)  # one bar for all
    assert answered(SAID, UNSAID, 0.0, 6.0) == (1.0, 1.0)


def test_the_unheld_midpoint_is_fitted_with_the_first_held() -> None:
    unheld = fit_unheld(SAID, UNSAID, 0.0)
    assert 5.0 <= unheld < 8.0
    assert answered(SAID, UNSAID, 0.0, unheld) == (1.0, 1.0)
