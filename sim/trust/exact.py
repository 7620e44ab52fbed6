"""Exact equilibrium enumeration of small bimatrix games in rational arithmetic.

Two independent methods, both on :class:`fractions.Fraction` payoffs:

* :func:`extreme_equilibria` — vertex enumeration of the best-response polytopes
  ``P = {x >= 0 : Nᵀx <= 1}`` and ``Q = {y >= 0 : My <= 1}`` (payoffs shifted to be positive)
  and every completely labelled pair of vertices (Mangasarian 1964; von Stengel 2002,
  *Handbook of Game Theory* 3, ch. 45; Avis, Rosenberg, Savani & von Stengel 2010, ``lrsnash``).
  A vertex carries *every* constraint tight at it, so degenerate games — where a vertex has
  more tight constraints than dimensions and equilibria form continua — yield all extreme
  equilibria, of which every equilibrium component is the convex hull (Winkels 1979).
* :func:`support_equilibria` — support enumeration over supports of *any* sizes, keeping the
  equilibria that are the unique solution of their indifference system (Dickhaut & Kaplan
  1991). In a non-degenerate game this is every equilibrium; in a degenerate one it finds a
  subset of the extreme equilibria. Used in the tests as an independent check.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations


def _frac_matrix(M) -> list[list[Fraction]]:
    return [[Fraction(v) for v in row] for row in M]


def solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of a square or tall linear system, exactly; ``None`` if the
    system has no solution or more than one (Gauss–Jordan elimination in rationals)."""
    n = len(rows[0]) if rows else 0
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    pivots, r = [], 0
    for c in range(n):
        p = next((i for i in range(r, len(aug)) if aug[i][c] != 0), None)
        if p is None:
            return None                        # a free variable: not unique
        aug[r], aug[p] = aug[p], aug[r]
        inv = 1 / aug[r][c]
        aug[r] = [v * inv for v in aug[r]]
        for i in range(len(aug)):
            if i != r and aug[i][c] != 0:
                f = aug[i][c]
                aug[i] = [a - f * b for a, b in zip(aug[i], aug[r])]
        pivots.append(c)
        r += 1
    if any(row[n] != 0 for row in aug[r:]):    # inconsistent
        return None
    return [aug[i][n] for i in range(n)]


def _vertices(G: list[list[Fraction]], dim: int):
    """Vertices of ``{z >= 0 : G z <= 1}`` (``G`` has ``k`` rows, ``dim`` columns), each with
    its label set: ``i`` (< dim) when ``z_i = 0``, ``dim + j`` when row ``j`` is tight."""
    k = len(G)
    constraints = [([Fraction(int(i == c)) for c in range(dim)], Fraction(0)) for i in range(dim)]
    constraints += [(list(G[j]), Fraction(1)) for j in range(k)]
    found = {}
    for chosen in combinations(range(dim + k), dim):
        z = solve([constraints[i][0] for i in chosen], [constraints[i][1] for i in chosen])
        if z is None or any(v < 0 for v in z):
            continue
        if any(sum(g * v for g, v in zip(G[j], z)) > 1 for j in range(k)):
            continue
        key = tuple(z)
        if key not in found:
            labels = {i for i in range(dim) if z[i] == 0}
            labels |= {dim + j for j in range(k) if sum(g * v for g, v in zip(G[j], z)) == 1}
            found[key] = frozenset(labels)
    return found


def extreme_equilibria(M, N) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """Every extreme Nash equilibrium ``(x, y)`` of the bimatrix game ``(M, N)``, exactly.

    ``M`` and ``N`` are ``m x n`` (row's and column's payoffs; any numbers, converted to
    :class:`~fractions.Fraction` without rounding). Sorted, without repeats.
    """
    M, N = _frac_matrix(M), _frac_matrix(N)
    m, n = len(M), len(M[0])
    shift = 1 - min(min(min(r) for r in M), min(min(r) for r in N))
    Mp = [[v + shift for v in r] for r in M]
    Np = [[v + shift for v in r] for r in N]
    # P: x in R^m, rows of G are columns of N (Nᵀ x <= 1); labels: x_i = 0 -> i, tight j -> m+j
    P = _vertices([[Np[i][j] for i in range(m)] for j in range(n)], m)
    # Q: y in R^n with M y <= 1; own labels y_j = 0 -> j (we renumber to m + j), tight i -> i
    Q = _vertices(Mp, n)
    everything = frozenset(range(m + n))
    out = set()
    for x, lx in P.items():
        if not any(x):
            continue
        sx = sum(x)
        for y, ly in Q.items():
            if not any(y):
                continue
            ly_renumbered = {m + j if j < n else j - n for j in ly}
            if lx | ly_renumbered == everything:
                sy = sum(y)
                out.add((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return sorted(out)


def _support_side(M, rows: tuple, cols: tuple):
    """``y`` with support ``cols`` making every row in ``rows`` indifferent (unique), and its
    value ``v``; ``None`` if no unique solution."""
    n = len(M[0])
    unknowns = list(cols)
    eqs = [[M[i][j] for j in unknowns] + [Fraction(-1)] for i in rows]
    rhs = [Fraction(0)] * len(rows)
    eqs.append([Fraction(1)] * len(unknowns) + [Fraction(0)])
    rhs.append(Fraction(1))
    sol = solve(eqs, rhs)
    if sol is None:
        return None
    y = [Fraction(0)] * n
    for j, v in zip(unknowns, sol[:-1]):
        y[j] = v
    return y, sol[-1]


def support_equilibria(M, N) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """Equilibria found by exact support enumeration over all support pairs (any sizes),
    keeping unique solutions (Dickhaut & Kaplan 1991); sorted, without repeats."""
    M, N = _frac_matrix(M), _frac_matrix(N)
    m, n = len(M), len(M[0])
    NT = [[N[i][j] for i in range(m)] for j in range(n)]
    out = set()
    for a in range(1, m + 1):
        for I in combinations(range(m), a):
            for b in range(1, n + 1):
                for J in combinations(range(n), b):
                    ys = _support_side(M, I, J)
                    xs = _support_side(NT, J, I)
                    if ys is None or xs is None:
                        continue
                    (y, v), (x, w) = ys, xs
                    if any(y[j] <= 0 for j in J) or any(x[i] <= 0 for i in I):
                        continue
                    if any(sum(M[i][j] * y[j] for j in range(n)) > v for i in range(m)):
                        continue
                    if any(sum(N[i][j] * x[i] for i in range(m)) > w for j in range(n)):
                        continue
                    out.add((tuple(x), tuple(y)))
    return sorted(out)


def is_equilibrium(M, N, x, y) -> bool:
    """Exact check that ``(x, y)`` is a Nash equilibrium of ``(M, N)``: no pure deviation
    pays (Nash 1951)."""
    M, N = _frac_matrix(M), _frac_matrix(N)
    x, y = [Fraction(v) for v in x], [Fraction(v) for v in y]
    m, n = len(M), len(M[0])
    row = [sum(M[i][j] * y[j] for j in range(n)) for i in range(m)]
    col = [sum(N[i][j] * x[i] for i in range(m)) for j in range(n)]
    value_x = sum(p * r for p, r in zip(x, row))
    value_y = sum(q * c for q, c in zip(y, col))
    return max(row) == value_x and max(col) == value_y


def is_nondegenerate(M, N) -> bool:
    """Whether both best-response polytopes are simple — every vertex has exactly as many
    labels as dimensions — which holds iff the game is non-degenerate (von Stengel 2002,
    Theorem 2.x: in a non-degenerate game, no mixed strategy with support size k has more
    than k pure best replies)."""
    M, N = _frac_matrix(M), _frac_matrix(N)
    m, n = len(M), len(M[0])
    shift = 1 - min(min(min(r) for r in M), min(min(r) for r in N))
    P = _vertices([[N[i][j] + shift for i in range(m)] for j in range(n)], m)
    Q = _vertices([[v + shift for v in r] for r in M], n)
    return all(len(lab) == m for lab in P.values()) and all(len(lab) == n for lab in Q.values())
