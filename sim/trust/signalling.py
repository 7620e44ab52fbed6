"""Costly reassurance: a signalling stage before the game, and every perfect Bayesian
equilibrium of it (Kydd 2005, ch. 7; Spence 1973; Cho & Kreps 1987).

The game. Nature draws the sender's type: cooperative (``c``) with prior ``p``, else the other
type (``u``). The sender may make a **gesture** (message 0) at cost ``cost_c`` resp. ``cost_u``
— the CSTO's operation Kanal with Western observers, say — or not (message 1). The receiver
sees the message, updates by Bayes' rule where it can, and decides to engage (C) or not (D),
while each type plays its best reply to engagement ``a_t`` (the actions of the cooperative
equilibrium of :mod:`sim.trust.threshold`). ``g_t`` is the receiver's gain from engaging
against type ``t`` and ``h_t`` type ``t``'s gain from being engaged
(:func:`sim.trust.threshold.engagement_gains` computes both from the types' utility games),
so the receiver engages after a message iff its belief reaches the trust threshold.

A receiver with belief ``μ`` gains ``G(μ) = μ g_c + (1 − μ) g_u`` by engaging, so it engages
for sure if ``G > 0``, never if ``G < 0``, and may mix if ``G = 0``. A type's payoff from
message ``m`` is ``x_m h_t − cost_t·[m = gesture]`` with ``x_m`` the probability of
engagement. Writing ``d = x_0 − x_1``, a type that gestures needs ``d·h_t >= cost_t``, one
that does not needs ``d·h_t <= cost_t``, and one that mixes needs equality.

**Enumeration.** Every PBE has a *pattern* (each type gestures, does not, or mixes) and a
*response region* for each message (the sign of ``G`` at its belief). For each pattern the set
of beliefs Bayes' rule allows (a point, an open interval for a mixing type, or any belief off
the path) is mapped to the set of values of ``G``; a region is possible iff that set meets it;
the regions give intervals of responses and so of ``d``; the incentive constraints are
half-lines in ``d``. The pattern and regions form a PBE family iff all of this is non-empty —
so the enumeration is complete, and exact when the inputs are :class:`~fractions.Fraction`.

**Intuitive criterion** (Cho & Kreps 1987, *QJE* 102): only pooling equilibria leave a message
unused. A type for which the unused message cannot beat its equilibrium payoff under any
response is ruled out; if some remaining type would gain under every response to beliefs on
the remaining types, the equilibrium fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

#: Sender strategies: each type gestures ("g"), does not ("n") or mixes ("m").
PATTERNS = (("g", "n"), ("n", "g"), ("g", "g"), ("n", "n"),
            ("g", "m"), ("n", "m"), ("m", "g"), ("m", "n"), ("m", "m"))

#: Classes of PBE, in the order of the bits of :func:`classify`.
CLASSES = ("separating", "reverse-separating", "pooling-gesture", "pooling-silence",
           "semi-separating", "hybrid")

REGIONS = (-1, 0, 1)


def kind(pattern) -> str:
    """The class of a sender pattern (see ``CLASSES``)."""
    if pattern == ("g", "n"):
        return "separating"
    if pattern == ("n", "g"):
        return "reverse-separating"
    if pattern == ("g", "g"):
        return "pooling-gesture"
    if pattern == ("n", "n"):
        return "pooling-silence"
    return "hybrid" if pattern == ("m", "m") else "semi-separating"


# --------------------------------------------------------------------------------------------
# The pattern logic: elementwise, on float arrays or on Fractions
# --------------------------------------------------------------------------------------------

def _region_possible(values, r, tol):
    """Can ``G`` take sign ``r`` on the value set ``values``? ``("point", v)``,
    ``("open", a, b)`` (values strictly between a and b, or ``a`` if equal) or
    ``("closed", a, b)`` (from a to b)."""
    def sign_is(v):
        return {-1: v < -tol, 0: _abs(v) <= tol, 1: v > tol}[r]

    if values[0] == "point":
        return sign_is(values[1])
    lo, hi = _minimum(values[1], values[2]), _maximum(values[1], values[2])
    if values[0] == "open":
        spread = {-1: lo < -tol, 0: (lo < -tol) & (hi > tol), 1: hi > tol}[r]
        return _where(_abs(hi - lo) <= tol, sign_is(lo), spread)
    return {-1: lo < -tol, 0: (lo <= tol) & (hi >= -tol), 1: hi > tol}[r]


def _minimum(a, b):
    return np.minimum(a, b) if _is_array(a, b) else min(a, b)


def _maximum(a, b):
    return np.maximum(a, b) if _is_array(a, b) else max(a, b)


def _abs(a):
    return np.abs(a) if isinstance(a, np.ndarray) else abs(a)


def _where(c, a, b):
    return np.where(c, a, b) if _is_array(c, a, b) else (a if c else b)


def _is_array(*xs):
    return any(isinstance(x, np.ndarray) for x in xs)


def _half_line(h, c, sense, tol):
    """Bounds ``(lo, hi)`` on ``d`` from ``d·h >= c`` (sense +1), ``<= c`` (−1) or ``= c``
    (0); an empty set has ``lo > hi``."""
    inf = float("inf")
    pos, neg = h > tol, h < -tol
    safe = _where(pos | neg, h, 1)
    root = c / safe
    zero_ok = {1: c <= tol, -1: c >= -tol, 0: _abs(c) <= tol}[sense]
    if sense == 1:
        lo = _where(pos, root, _where(neg | zero_ok, -inf, inf))
        hi = _where(neg, root, _where(pos | zero_ok, inf, -inf))
    elif sense == -1:
        lo = _where(neg, root, _where(pos | zero_ok, -inf, inf))
        hi = _where(pos, root, _where(neg | zero_ok, inf, -inf))
    else:
        lo = _where(pos | neg, root, _where(zero_ok, -inf, inf))
        hi = _where(pos | neg, root, _where(zero_ok, inf, -inf))
    return lo, hi


_SENSE = {"g": 1, "n": -1, "m": 0}


def _belief_cases(pattern, p):
    """Beliefs Bayes' rule allows after (gesture, none): list of pairs of
    ``("point", μ)``, ``("open", a, b)`` or ``("free",)`` (off the path)."""
    one, zero = Fraction(1) if isinstance(p, Fraction) else 1.0, \
        Fraction(0) if isinstance(p, Fraction) else 0.0
    table = {("g", "n"): [(("point", one), ("point", zero))],
             ("n", "g"): [(("point", zero), ("point", one))],
             ("g", "g"): [(("point", p), ("free",))],
             ("n", "n"): [(("free",), ("point", p))],
             ("g", "m"): [(("open", p, one), ("point", zero))],
             ("n", "m"): [(("point", zero), ("open", p, one))],
             ("m", "g"): [(("open", zero, p), ("point", one))],
             ("m", "n"): [(("point", one), ("open", zero, p))],
             ("m", "m"): [(("point", p), ("point", p)),
                          (("open", p, one), ("open", zero, p)),
                          (("open", zero, p), ("open", p, one))]}
    return table[pattern]


def _values(belief, g_c, g_u):
    """The set of values of ``G(μ) = μ g_c + (1 − μ) g_u`` over a belief set."""
    G = (lambda m: m * g_c + (1 - m) * g_u)
    if belief[0] == "point":
        return ("point", G(belief[1]))
    if belief[0] == "open":
        return ("open", G(belief[1]), G(belief[2]))
    return ("closed", g_u, g_c)


def _x_interval(r):
    return {-1: (0, 0), 0: (0, 1), 1: (1, 1)}[r]


def families(pattern, p, g, h, cost, tol=0):
    """Yield ``(case, r_gesture, r_none, feasible, d_lo, d_hi)`` for every belief case and
    response region pair of ``pattern`` (elementwise over arrays)."""
    g_c, g_u = g
    for case, (b0, b1) in enumerate(_belief_cases(pattern, p)):
        v0, v1 = _values(b0, g_c, g_u), _values(b1, g_c, g_u)
        for r0 in REGIONS:
            ok0 = _region_possible(v0, r0, tol)
            for r1 in REGIONS:
                ok = ok0 & _region_possible(v1, r1, tol)
                (a0, b0_), (a1, b1_) = _x_interval(r0), _x_interval(r1)
                lo, hi = a0 - b1_, b0_ - a1
                for t in (0, 1):
                    l_, h_ = _half_line(h[t], cost[t], _SENSE[pattern[t]], tol)
                    lo, hi = _maximum(lo, l_), _minimum(hi, h_)
                yield case, r0, r1, ok & (lo <= hi + tol), lo, hi


def _on_path_range(pattern, r0, r1, lo, hi):
    """The on-path responses ``(a, b)`` of a pooling family: those in the on-path region's
    interval that some off-path response within the feasible ``d = x_0 − x_1`` completes."""
    (a0, b0), (a1, b1) = _x_interval(r0), _x_interval(r1)
    if pattern == ("g", "g"):       # x_0 on path: x_0 − x_1 in [lo, hi] for some x_1
        return _maximum(a0, a1 + lo), _minimum(b0, b1 + hi)
    return _maximum(a1, a0 - hi), _minimum(b1, b0 - lo)


def _survives(pattern, r0, r1, lo, hi, g, h, cost, tol=0):
    """The intuitive criterion for a family: some on-path response of it survives (checked at
    both ends of the range of on-path responses)."""
    if pattern not in (("g", "g"), ("n", "n")):
        return True
    a, b = _on_path_range(pattern, r0, r1, lo, hi)
    return _intuitive(pattern, a, g, h, cost, tol) | _intuitive(pattern, b, g, h, cost, tol)


def _intuitive(pattern, x_on, g, h, cost, tol=0):
    """Does the pooling equilibrium with on-path response ``x_on`` survive the intuitive
    criterion (Cho & Kreps 1987)? Elementwise; ``True`` for non-pooling patterns."""
    if pattern not in (("g", "g"), ("n", "n")):
        return True
    g_c, g_u = g
    on, off = (0, 1) if pattern == ("g", "g") else (1, 0)
    star = [x_on * h[t] - (cost[t] if on == 0 else 0) for t in (0, 1)]
    lo_g, hi_g = _minimum(g_u, g_c), _maximum(g_u, g_c)
    can_lo = lo_g <= tol                       # some belief gives a response x = 0
    can_hi = hi_g >= -tol                      # some belief gives x = 1
    dev = []
    for t in (0, 1):
        c_off = cost[t] if off == 0 else 0
        best = _maximum(_where(can_lo, 0 * h[t], -float("inf")),
                        _where(can_hi, h[t], -float("inf"))) - c_off
        dev.append(best)
    alive = [np.logical_not(star[t] > dev[t] + tol) for t in (0, 1)]
    fails = False
    for s, G_s in ((0, g_c), (1, g_u)):         # beliefs concentrated on the one type left
        only = alive[s] & np.logical_not(alive[1 - s])
        c_off = cost[s] if off == 0 else 0
        lo_x = _where(G_s > tol, 1, 0)          # least engagement a best reply may give
        worst = _minimum(lo_x * h[s], _where(_abs(G_s) <= tol, _minimum(0 * h[s], h[s]),
                                             lo_x * h[s])) - c_off
        fails = fails | (only & (worst > star[s] + tol))
    return np.logical_not(fails)


# --------------------------------------------------------------------------------------------
# Vectorised classification
# --------------------------------------------------------------------------------------------

def classify(p, g_c, g_u, h_c, h_u, cost_c, cost_u, tol=1e-12):
    """Which classes of PBE exist at each point, and which survive the intuitive criterion.

    All arguments broadcast; ``p`` must lie in (0, 1). Returns two integer arrays of bit
    masks over ``CLASSES`` (bit ``k`` set: a PBE of class ``CLASSES[k]`` exists / survives).
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in
                                   (p, g_c, g_u, h_c, h_u, cost_c, cost_u)))
    p, g_c, g_u, h_c, h_u, cost_c, cost_u = arrays
    exists = np.zeros(p.shape, dtype=np.int64)
    survives = np.zeros(p.shape, dtype=np.int64)
    for pattern in PATTERNS:
        bit = 1 << CLASSES.index(kind(pattern))
        for _, r0, r1, ok, lo, hi in families(pattern, p, (g_c, g_u), (h_c, h_u),
                                              (cost_c, cost_u), tol):
            exists |= np.where(ok, bit, 0)
            passed = _survives(pattern, r0, r1, lo, hi, (g_c, g_u), (h_c, h_u),
                               (cost_c, cost_u), tol)
            survives |= np.where(ok & passed, bit, 0)
    return exists, survives


def reassurance_range(g_c, g_u, h_c, h_u, cost_ratio=1.0):
    """``(lo, hi)``: the gesture costs ``c`` (to the cooperative type; ``cost_ratio·c`` to the
    other) at which a separating PBE exists in which the cooperative type gestures and the
    receiver then engages for sure: ``g_c > 0 > g_u`` and ``max(h_u, 0)/ratio <= c <= h_c``
    (Kydd 2005, ch. 7: a signal reassures when it costs more than the other type would pay
    for being trusted, and less than the cooperative type would). ``nan`` where none does."""
    g_c, g_u, h_c, h_u, k = np.broadcast_arrays(*(np.asarray(a, float) for a in
                                                  (g_c, g_u, h_c, h_u, cost_ratio)))
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(h_u > 0, h_u / k, 0.0)
    hi = np.maximum(h_c, 0.0) + 0 * lo
    works = (g_c > 0) & (g_u < 0) & (lo <= hi) & (h_c >= 0) & (k > 0)
    return np.where(works, lo, np.nan), np.where(works, hi, np.nan)


# --------------------------------------------------------------------------------------------
# Exact enumeration, with off-path beliefs stated
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PBE:
    """A family of perfect Bayesian equilibria of the reassurance game (exact).

    ``strategy``: each type's probability of the gesture (a Fraction, or ``(lo, hi)`` for an
    open range of a mixing type's probability); ``beliefs``: the receiver's belief in the
    cooperative type after (gesture, none) — a Fraction on the path, a description of the
    supporting off-path beliefs otherwise; ``responses``: the probability of engagement after
    each message (``(lo, hi)`` when a range works); ``example``: one equilibrium of the family
    as plain numbers ``(σ_c, σ_u, μ_gesture, μ_none, x_gesture, x_none)``.
    """

    kind: str
    pattern: tuple[str, str]
    strategy: tuple
    beliefs: tuple
    responses: tuple
    intuitive: bool
    example: tuple

    def to_dict(self) -> dict:
        def num(v):
            if isinstance(v, tuple):
                return [num(u) for u in v]
            return float(v) if isinstance(v, Fraction) else v

        return {"kind": self.kind, "pattern": list(self.pattern),
                "strategy": num(self.strategy), "beliefs": num(self.beliefs),
                "responses": num(self.responses), "intuitive": self.intuitive,
                "example": num(self.example)}


def _off_path_beliefs(g_c, g_u, r):
    """The beliefs ``μ`` in [0, 1] at which ``G(μ)`` has sign ``r``: ``(text, one of them)``."""
    sign = (lambda v: (v > 0) - (v < 0))
    G = (lambda m: m * g_c + (1 - m) * g_u)
    if g_c == g_u:
        return "any belief", Fraction(1, 2)
    root = -g_u / (g_c - g_u)
    if r == 0:
        return f"μ = {float(root):.4g}", root
    if not 0 < root < 1:
        return "any belief", Fraction(1, 2)
    if sign(G(Fraction(1))) == r:
        return f"μ > {float(root):.4g}", (root + 1) / 2
    return f"μ < {float(root):.4g}", root / 2


def _open_rep(lo, hi):
    return (lo + hi) / 2


def equilibria(p, g, h, cost) -> list[PBE]:
    """Every PBE family of the reassurance game, exactly (see the module docstring).

    ``p`` in (0, 1); ``g = (g_c, g_u)``, ``h = (h_c, h_u)``, ``cost = (cost_c, cost_u)``;
    numbers are converted to :class:`~fractions.Fraction` without rounding.
    """
    F = Fraction
    p = F(p)
    if not 0 < p < 1:
        raise ValueError(f"prior must lie strictly between 0 and 1, got {p}")
    g, h, cost = tuple(map(F, g)), tuple(map(F, h)), tuple(map(F, cost))
    out = []
    for pattern in PATTERNS:
        cases = _belief_cases(pattern, p)
        for case, r0, r1, ok, lo, hi in families(pattern, p, g, h, cost):
            if not ok:
                continue
            beliefs, reps = [], []
            for belief, r in zip(cases[case], (r0, r1)):
                if belief[0] == "point":
                    beliefs.append(belief[1])
                    reps.append(belief[1])
                elif belief[0] == "free":
                    text, rep = _off_path_beliefs(g[0], g[1], r)
                    beliefs.append(f"off path: {text}")
                    reps.append(rep)
                else:
                    a, b = belief[1], belief[2]
                    # beliefs in (a, b) whose G has sign r: pick the midpoint of that part
                    pts = _sub_interval(a, b, g, r)
                    beliefs.append(pts)
                    reps.append(_open_rep(*pts))
            x_ranges = [_x_interval(r0), _x_interval(r1)]
            d = _pick(lo, hi)
            x0, x1 = _responses_for(d, x_ranges)
            strategy = _strategy(pattern, p, reps)
            passed = _survives(pattern, r0, r1, lo, hi, g, h, cost)
            responses = tuple(F(a) if a == b else (F(a), F(b)) for a, b in x_ranges)
            example = (*(s if not isinstance(s, tuple) else _open_rep(*s) for s in strategy),
                       reps[0], reps[1], x0, x1)
            out.append(PBE(kind(pattern), pattern, strategy, tuple(beliefs), responses,
                           bool(passed), example))
    return out


def _sub_interval(a, b, g, r):
    """The part of the open belief interval (a, b) on which ``G`` has sign ``r``."""
    lo, hi = min(a, b), max(a, b)
    if g[0] == g[1]:
        return (lo, hi)
    root = -g[1] / (g[0] - g[1])
    G = lambda m: m * g[0] + (1 - m) * g[1]
    if r == 0:
        return (root, root)
    pieces = [(lo, min(hi, root)), (max(lo, root), hi)]
    for x, y in pieces:
        if x < y and ((G((x + y) / 2) > 0) - (G((x + y) / 2) < 0)) == r:
            return (x, y)
    return (lo, hi)


def _pick(lo, hi):
    """The midpoint of the (finite) interval of feasible ``d``."""
    return (Fraction(lo) + Fraction(hi)) / 2


def _responses_for(d, ranges):
    """``x_0, x_1`` in their ranges with ``x_0 − x_1 = d``."""
    (a0, b0), (a1, b1) = ranges
    x1 = max(Fraction(a1), Fraction(a0) - d)
    x1 = min(x1, Fraction(b1), Fraction(b0) - d)
    return x1 + d, x1


def _strategy(pattern, p, reps):
    """Each type's gesture probability: 1, 0, or the value that yields the representative
    posterior of a mixing pattern (Bayes' rule solved for σ)."""
    F = Fraction
    s = {"g": F(1), "n": F(0)}
    if "m" not in pattern:
        return tuple(s[x] for x in pattern)
    mu0, mu1 = reps
    if pattern == ("m", "m"):
        if mu0 == mu1:
            return (F(1, 2), F(1, 2))
        lam = (p - mu1) / (mu0 - mu1)
        return (lam * mu0 / p, lam * (1 - mu0) / (1 - p))
    c, u = pattern
    if u == "m":           # μ on the message c also sends: p / (p + (1 − p)·s_u·…)
        if c == "g":       # μ0 = p / (p + (1−p) σ_u)
            return (F(1), p * (1 - mu0) / ((1 - p) * mu0))
        return (F(0), 1 - p * (1 - mu1) / ((1 - p) * mu1))
    if u == "g":           # c mixes, u gestures: μ0 = pσ/(pσ + 1 − p)
        return ((1 - p) * mu0 / (p * (1 - mu0)), F(1))
    return (1 - (1 - p) * mu1 / (p * (1 - mu1)), F(0))


def bayes_consistent(p, sigma_c, sigma_u, mu_gesture, mu_none) -> bool:
    """Exact check of Bayes' rule on the path: each used message's belief equals
    ``p σ_c(m) / (p σ_c(m) + (1 − p) σ_u(m))``."""
    F = Fraction
    p, sc, su = F(p), F(sigma_c), F(sigma_u)
    for mu, a, b in ((mu_gesture, sc, su), (mu_none, 1 - sc, 1 - su)):
        den = p * a + (1 - p) * b
        if den > 0 and F(mu) != p * a / den:
            return False
    return True


def sequentially_rational(p, g, h, cost, sigma_c, sigma_u, mu_gesture, mu_none, x_gesture,
                          x_none) -> bool:
    """Exact brute-force check: the receiver's response to each message is a best reply to
    its belief, and each type's message (or mixture) is a best reply to the responses."""
    F = Fraction
    g, h, cost = tuple(map(F, g)), tuple(map(F, h)), tuple(map(F, cost))
    for mu, x in ((F(mu_gesture), F(x_gesture)), (F(mu_none), F(x_none))):
        engage = mu * g[0] + (1 - mu) * g[1]           # expected C minus D
        if (engage > 0 and x != 1) or (engage < 0 and x != 0) or not 0 <= x <= 1:
            return False
    for t, s in ((0, F(sigma_c)), (1, F(sigma_u))):
        pay_g = F(x_gesture) * h[t] - cost[t]
        pay_n = F(x_none) * h[t]
        if (s > 0 and pay_g < pay_n) or (s < 1 and pay_n < pay_g):
            return False
    return True
