"""Load sway: the rope pendulum under a moving trolley or bridge, and how it is damped.

The hanging load is a pendulum of length ``L`` (trolley sheaves to the load's centre of mass)
with angular frequency ``ω = √(g/L)`` and period ``T = 2π·√(L/g)``.  For small angles its
displacement ``x`` relative to the trolley obeys ``x'' + (2/τ)·x' + ω²·x = -a(t)``, where ``a(t)``
is the trolley's (or bridge's) acceleration and ``τ`` the decay time constant of the free swing.
After the forcing ends the swing is ``A·e^{-t/τ}·sin(ωt + φ)`` with (light damping)

    A = |∫ a(t)·e^{(t - t_end)/τ}·e^{-iωt} dt| / ω.

For a rest-to-rest trapezoid (acceleration ``a`` for ``t_a``, total duration ``D``) and no
damping this is the closed form ``A = (L·a/g)·4·|sin(ω·t_a/2)·sin(ω·(D - t_a)/2)|``; a single
abrupt stop leaves about ``L·a/g`` (domain brief: 0.18 m at L = 6 m, a = 0.3 m/s²).

Two ways to deal with the swing:

* a manual driver waits for it to decay, ``t = τ·ln(A/tol)``, or drives counter-moves, each
  cutting the amplitude to a fraction ``ρ`` of what it was (one more start and stop each);
* an automated crane shapes its acceleration (zero-vibration, ZV: two half-steps ``T/2`` apart),
  which leaves ``|cos(π/2 · ω/ω_d)|`` of the unshaped swing when the shaper is tuned for ``ω_d``
  (zero when the rope length is known exactly) and makes each move ``T/2`` longer.  cranesim
  models the shaped move as a trapezoid with a reduced acceleration that gives the same duration
  (:func:`shaped_accel`).

Examples
--------
>>> round(period_s(4.0), 2), round(period_s(6.0), 2), round(period_s(10.0), 2)
(4.01, 4.91, 6.34)
>>> round(abrupt_stop_amplitude_m(6.0, 0.3), 3)
0.183
"""

from __future__ import annotations

import cmath
from collections.abc import Iterable
from math import ceil, cos, exp, inf, isfinite, log, pi, sin, sqrt

from cranesim.physics.kinematics import AxisMove, profile

__all__ = [
    "G",
    "omega",
    "period_s",
    "abrupt_stop_amplitude_m",
    "residual_amplitude_m",
    "forced_swing",
    "swing_abs",
    "trapezoid_phases",
    "move_residual_m",
    "trapezoid_residual_closed_form_m",
    "zv_residual_ratio",
    "shaped_accel",
    "settle_time_s",
    "counter_moves_needed",
    "manual_stop_amplitude_m",
]

G = 9.81


def omega(rope_length_m: float) -> float:
    """Angular frequency of the pendulum, rad/s."""
    return sqrt(G / rope_length_m)


def period_s(rope_length_m: float) -> float:
    """Pendulum period ``2π·√(L/g)``, s."""
    return 2.0 * pi * sqrt(rope_length_m / G)


def abrupt_stop_amplitude_m(rope_length_m: float, decel_m_s2: float) -> float:
    """Swing left by an abrupt stop (a deceleration step), ``L·a/g``, m."""
    return rope_length_m * decel_m_s2 / G


def residual_amplitude_m(
    phases: list[tuple[float, float, float]],
    rope_length_m: float,
    tau_s: float = inf,
    t_end: float | None = None,
) -> float:
    """Swing amplitude at ``t_end`` after the constant-acceleration ``phases``.

    ``phases`` are ``(t_start, t_stop, accel)`` (signed m/s²); ``t_end`` defaults to the end of
    the last phase.  Linear, lightly damped pendulum (see the module docstring).
    """
    if not phases:
        return 0.0
    w = omega(rope_length_m)
    if t_end is None:
        t_end = max(t1 for _, t1, _ in phases)
    k = 1.0 / tau_s if isfinite(tau_s) else 0.0
    return swing_abs(*forced_swing(phases, k, w, t_end)) / w


def forced_swing(
    phases: Iterable[tuple[float, float, float]], k: float, w: float, t_end: float
) -> tuple[float, float]:
    """``(re, im)`` of ``Σ acc·(e^{s·(t1 - t_end)} - e^{s·(t0 - t_end)}) / s``, ``s = k - iω``.

    The integral of :func:`residual_amplitude_m` in real arithmetic: each operation of the
    complex expression written out, exactly as the compiled kernel (``_core/physics.pyx``,
    ``_shape``) computes it, so the two agree to the bit whatever Python runs.  A real times a
    complex is the full product with a zero imaginary part, the quotient is Smith's method
    (CPython 3.11's complex arithmetic; later versions may treat mixed real and complex
    operands differently), ``e^z`` is ``exp(re)·(cos im, sin im)``.  ``w > 0``.
    """
    s_re, s_im = k, -w
    z_re = z_im = 0.0
    for t0, t1, acc in phases:
        if t1 <= t0 or acc == 0.0:
            continue
        x = t1 - t_end  # e = exp(s * x), s * x as (s_re, s_im) * (x, 0)
        r = exp(s_re * x - s_im * 0.0)
        y = s_re * 0.0 + s_im * x
        e_re = r * cos(y)
        e_im = r * sin(y)
        x = t0 - t_end  # e -= exp(s * x)
        r = exp(s_re * x - s_im * 0.0)
        y = s_re * 0.0 + s_im * x
        e_re = e_re - r * cos(y)
        e_im = e_im - r * sin(y)
        a_re = acc * e_re - 0.0 * e_im  # (acc, 0) * e
        a_im = acc * e_im + 0.0 * e_re
        # (a_re, a_im) / (s_re, s_im), Smith's method; |s_im| = w > 0
        if (s_re if s_re >= 0.0 else -s_re) >= (s_im if s_im >= 0.0 else -s_im):
            ratio = s_im / s_re
            denom = s_re + s_im * ratio
            q_re = (a_re + a_im * ratio) / denom
            q_im = (a_im - a_re * ratio) / denom
        else:
            ratio = s_re / s_im
            denom = s_re * ratio + s_im
            q_re = (a_re * ratio + a_im) / denom
            q_im = (a_im * ratio - a_re) / denom
        z_re = z_re + q_re
        z_im = z_im + q_im
    return z_re, z_im


def swing_abs(re: float, im: float) -> float:
    """``|re + i·im|`` with C's ``hypot``, as ``abs(complex)`` and the compiled kernel compute it
    (:func:`math.hypot` is another algorithm and may differ in the last bit)."""
    return abs(complex(re, im))


def trapezoid_phases(m: AxisMove) -> list[tuple[float, float, float]]:
    """Acceleration phases of a move (signed along the direction of travel)."""
    if m.dur <= 0.0:
        return []
    sgn = 1.0 if m.p1 >= m.p0 else -1.0
    return [(m.t0, m.t0 + m.t_acc, sgn * m.a), (m.t1 - m.t_acc, m.t1, -sgn * m.a)]


def move_residual_m(m: AxisMove, rope_length_m: float, tau_s: float = inf) -> float:
    """Swing amplitude at the end of a rest-to-rest move that started with the load at rest."""
    return residual_amplitude_m(trapezoid_phases(m), rope_length_m, tau_s, m.t1)


def trapezoid_residual_closed_form_m(d: float, v: float, a: float, rope_length_m: float) -> float:
    """Undamped closed form for a rest-to-rest trapezoid/triangle over ``d`` (for tests/docs)."""
    dur, ta, _ = profile(d, v, a)
    w = omega(rope_length_m)
    return rope_length_m * a / G * 4.0 * abs(sin(w * ta / 2.0) * sin(w * (dur - ta) / 2.0))


def zv_residual_ratio(length_error: float) -> float:
    """Residual of a ZV shaper relative to the unshaped swing, rope length off by ``length_error``.

    The shaper is tuned for ``L_d``; the real length is ``L = L_d·(1 + e)``, so
    ``ω/ω_d = 1/√(1 + e)`` and the residual is ``|cos(π/2·ω/ω_d)|`` (0 when ``e = 0``).
    """
    r = 1.0 / sqrt(1.0 + length_error)
    return abs(cos(pi / 2.0 * r))


def shaped_accel(d: float, v: float, a: float, period: float) -> float:
    """Acceleration of the trapezoid standing in for a ZV-shaped move over ``|d|``.

    The ZV-shaped command lasts ``T/2`` longer than the unshaped one (its acceleration is spread
    over ``t_acc + T/2``).  The returned acceleration ``a'`` gives a rest-to-rest profile with the
    same top speed limit ``v`` and exactly that duration: ``v/(v/a + T/2)`` while the shaped move
    still reaches ``v``, else the triangle with ``4·|d|/(D + T/2)²``.
    """
    d = abs(d)
    if d <= 0.0:
        return a
    dur, _, _ = profile(d, v, a)
    target = dur + period / 2.0
    a_trap = v / (v / a + period / 2.0)
    if d >= v * v / a_trap:
        return a_trap
    return 4.0 * d / (target * target)


def settle_time_s(amplitude_m: float, tolerance_m: float, tau_s: float) -> float:
    """Time for a free swing to decay from ``amplitude_m`` to ``tolerance_m``: ``τ·ln(A/tol)``."""
    if amplitude_m <= tolerance_m:
        return 0.0
    return tau_s * log(amplitude_m / tolerance_m)


def counter_moves_needed(amplitude_m: float, tolerance_m: float, reduction: float) -> int:
    """Counter-moves that bring ``amplitude_m`` within ``tolerance_m``, each leaving ``reduction``."""
    if amplitude_m <= tolerance_m:
        return 0
    return max(1, ceil(log(amplitude_m / tolerance_m) / log(1.0 / reduction) - 1e-12))


def manual_stop_amplitude_m(
    rope_length_m: float, accel_m_s2: float, cruise_s: float, tau_s: float, phase_rad: float
) -> float:
    """Swing after a driver's stop, which is not timed to the swing.

    The start left a swing of ``L·a/g`` that decayed over the cruise; the stop adds another step
    of ``L·a/g`` at a phase the driver does not control:
    ``A = (L·a/g)·|1 + e^{-t_c/τ}·e^{iφ}|``.  Averaged over ``φ`` it is about ``L·a/g`` after a
    long cruise and between 0 and ``2·L·a/g`` after a short one.
    """
    base = abrupt_stop_amplitude_m(rope_length_m, accel_m_s2)
    left = exp(-cruise_s / tau_s) if isfinite(tau_s) else 1.0
    return base * abs(1.0 + left * cmath.exp(1j * phase_rad))
