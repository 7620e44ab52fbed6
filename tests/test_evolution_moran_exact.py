"""Moran process under strong selection: fixation probabilities and (conditional) fixation
times against exact rational arithmetic (``fractions``) on the birth–death chain's linear
systems, for N up to 50 and probabilities far below the float range."""

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings, strategies as st

from sim.evolution import fixation_probability, fixation_times, moran_two_types
from sim.evolution.moran import log_fixation_probability


def exact_payoffs(M, N, i):
    (a, b), (c, d) = M
    return (Fraction(a * (i - 1) + b * (N - i), N - 1), Fraction(c * i + d * (N - i - 1), N - 1))


def exact_ratios(M, N, intensity, fitness):
    """``γ_i = f_B(i) / f_A(i)`` for ``i = 1..N-1``: exact for linear fitness (rational
    ``w``); for exponential fitness ``exp(β Δπ)`` with the exact exponent, rounded once."""
    out = {}
    for i in range(1, N):
        pa, pb = exact_payoffs(M, N, i)
        if fitness == "linear":
            out[i] = (1 - intensity + intensity * pb) / (1 - intensity + intensity * pa)
        else:
            out[i] = Fraction(math.exp(float(intensity * (pb - pa))))
    return out


def tridiagonal_solve(N, up, down, rhs):
    """Solve ``(I - Q) x = rhs`` on states 1..N-1 exactly (Thomas algorithm in fractions)."""
    b = [up[i] + down[i] for i in range(1, N)]
    d = list(rhs)
    for k in range(1, N - 1):
        m = -down[k + 1] / b[k - 1]
        b[k] += m * up[k]
        d[k] -= m * d[k - 1]
    x = [Fraction(0)] * (N - 1)
    x[-1] = d[-1] / b[-1]
    for k in range(N - 3, -1, -1):
        x[k] = (d[k] + up[k + 1] * x[k + 1]) / b[k]
    return x


def exact_chain(gamma, N):
    """Fixation probabilities of A and of B, conditional times and absorption times from
    every state 1..N-1: first-step analysis solved exactly (Karlin & Taylor, 1975)."""
    up = {i: Fraction(i * (N - i), N) / (i + (N - i) * g) for i, g in gamma.items()}
    down = {i: up[i] * g for i, g in gamma.items()}
    zero = [Fraction(0)] * (N - 1)
    h = tridiagonal_solve(N, up, down, zero[:-1] + [up[N - 1]])
    hb = tridiagonal_solve(N, up, down, [down[1]] + zero[1:])
    ta = [x / p for x, p in zip(tridiagonal_solve(N, up, down, h), h)]
    tb = [x / p for x, p in zip(tridiagonal_solve(N, up, down, hb), hb)]
    t = tridiagonal_solve(N, up, down, [Fraction(1)] * (N - 1))
    return h, hb, ta, tb, t


def log_of(x: Fraction) -> float:
    return math.log(x.numerator) - math.log(x.denominator)


def relative_error(ours, exact):
    """Largest relative error; an exact value beyond the float range must come out as inf
    (coexistence under strong selection: more than 1e308 steps)."""
    errors = [0.0]
    for o, e in zip(ours, exact):
        if log_of(e) > 709.78:
            assert o == np.inf
        else:
            errors.append(abs(math.log(o) - log_of(e)))     # = relative error, to first order
    return max(errors)


payoffs = st.lists(st.integers(0, 60), min_size=4, max_size=4).map(
    lambda v: [[v[0], v[1]], [v[2], v[3]]])
selection = st.one_of(
    st.tuples(st.just("linear"), st.sampled_from([Fraction(1), Fraction(9, 10), Fraction(1, 2),
                                                  Fraction(1, 20)])),
    st.tuples(st.just("exponential"), st.sampled_from([Fraction(1, 4), Fraction(1),
                                                       Fraction(5), Fraction(10)])))


@settings(max_examples=40, deadline=None)
@given(payoffs, st.integers(2, 50), selection)
def test_fixation_against_exact_arithmetic(M, N, sel):
    fitness, w = sel
    if fitness == "linear" and min(min(r) for r in M) == 0 and w == 1:
        M[0][1] += 1            # keep every fitness positive: zero fitness is tested below
        M[1][0] += 1
    h, hb, ta, tb, t = exact_chain(exact_ratios(M, N, w, fitness), N)
    A = np.array(M, float)
    i0 = np.arange(1, N)
    log_rho = log_fixation_probability(A, N, float(w), fitness, initial=i0)
    np.testing.assert_allclose(log_rho, [log_of(x) for x in h], rtol=0, atol=1e-10)
    log_rho_b = log_fixation_probability(A[::-1, ::-1], N, float(w), fitness, initial=i0)
    np.testing.assert_allclose(log_rho_b[::-1], [log_of(x) for x in hb], rtol=0, atol=1e-10)
    rho = fixation_probability(A, N, float(w), fitness, initial=i0)
    assert np.all(rho >= 0) and np.all(rho <= 1)
    times = fixation_times(A, N, float(w), fitness)
    for key, ref in (("fixation_A", ta), ("fixation_B", tb), ("absorption", t)):
        assert np.all(times[key][1:-1] > 0)
        assert relative_error(times[key][1:-1], ref) <= 1e-10, key
    for key, ref in (("probability_A", h), ("probability_B", hb)):
        p = times[key][1:-1]
        assert np.all((p >= 0) & (p <= 1))
        tiny = np.array([float(x) for x in ref]) > 1e-290     # below: only the log is exact
        assert relative_error(p[tiny], np.array(ref)[tiny]) <= 1e-10, key


def test_probability_far_below_the_float_range():
    """One A among 49 B's, each B earning 60 more per match under β = 10: ρ ≈ e^-29000."""
    M = [[0, 0], [60, 60]]
    N = 50
    gamma = exact_ratios(M, N, Fraction(10), "exponential")
    products = [Fraction(1)]
    for i in range(1, N):
        products.append(products[-1] * gamma[i])
    exact = 1 / sum(products)            # Karlin & Taylor (1975), in exact arithmetic
    log_rho = float(log_fixation_probability(np.array(M, float), N, 10.0, "exponential"))
    assert log_rho < -20000
    assert abs(log_rho - log_of(exact)) <= 1e-10 * abs(log_of(exact))
    assert fixation_probability(np.array(M, float), N, 10.0, "exponential") == 0.0


@settings(max_examples=30, deadline=None)
@given(payoffs, st.integers(3, 60), st.floats(0.0, 30.0))
def test_single_mutant_conditional_times_are_equal(M, N, beta):
    """Taylor, Iwasa & Nowak (2006): a single A mutant's conditional fixation time equals a
    single B mutant's, at any selection strength."""
    times = fixation_times(np.array(M, float), N, beta, "exponential")
    assert times["fixation_A"][1] == np.float64(times["fixation_A"][1])
    np.testing.assert_allclose(times["fixation_A"][1], times["fixation_B"][N - 1], rtol=1e-9)
    res = moran_two_types(np.array(M, float), N, beta, "exponential")
    assert 0 <= res.rho[0] <= 1 and 0 <= res.rho[1] <= 1
    np.testing.assert_allclose(res.times["A"], res.times["B"], rtol=1e-9)


def test_zero_fitness_blocks_fixation():
    """An A that earns 0 among B's (linear fitness, w = 1) cannot reproduce: from one A it
    never fixes (probability 0, conditional time undefined); from more A's it can."""
    M = np.array([[3.0, 0.0], [5.0, 1.0]])
    N = 10
    times = fixation_times(M, N, 1.0, fitness="linear")
    assert times["probability_A"][1] == 0.0 and np.isnan(times["fixation_A"][1])
    assert np.all(times["probability_A"][2:] > 0) and np.all(np.isfinite(times["fixation_A"][2:]))
    np.testing.assert_allclose(times["probability_A"] + times["probability_B"], 1.0)
