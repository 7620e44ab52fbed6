"""Bayesian games of a 2x2 stage game: types, beliefs, the ex-ante strategic form and every
Bayesian Nash equilibrium.

Each player ``i`` has a finite set of types; a type profile ``(t, u)`` (row's, column's) has
its own 2x2 utility game ``A[t, u], B[t, u]`` (types may change either player's payoffs).
Types are independent and each player holds its own belief about the other's type, which does
not depend on its own type: row's belief ``μ_row`` over column's types, column's ``μ_col``
over row's. The beliefs need not come from a common prior (no common-knowledge shortcut):
each type of each player maximises its interim payoff under its own player's belief.

**Ex-ante strategic form** (Harsanyi 1967–68, "Games with incomplete information played by
'Bayesian' players", *Management Science* 14): a pure strategy is a plan ``s`` assigning an
action to each own type; row's payoff for plans ``(s, s')`` is ::

    M[s, s'] = Σ_t w(t) Σ_u μ_row(u) · A[t, u][s(t), s'(u)]

with positive weights ``w(t)`` on own types (uniform here). A type's interim problem enters
``M`` with a positive weight only, so the Nash equilibria of ``(M, N)`` are exactly the
Bayesian Nash equilibria, with any positive ``w`` — the agent-form equivalence (Selten 1975,
"Reexamination of the perfectness concept", *IJGT* 4). A mixed plan induces the behaviour
strategy "type ``t`` plays C with probability ``Σ_{s: s(t)=C} x_s``" (Kuhn 1953).

With one type per side the ex-ante form *is* the stage game, so everything reduces to the
complete-information model.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product

import numpy as np

from .exact import extreme_equilibria


def plans(n_types: int) -> np.ndarray:
    """All ``2**n`` pure plans as an ``(2**n, n)`` array of actions (0 = C, 1 = D), in
    lexicographic order (plan 0 is "every type plays C")."""
    return np.array(list(product((0, 1), repeat=n_types)), dtype=np.int64).reshape(-1, n_types)


def _one_hot(n_types: int) -> np.ndarray:
    """``E[s, t, a] = 1`` iff plan ``s`` has type ``t`` play ``a``: shape ``(2**n, n, 2)``."""
    P = plans(n_types)
    return np.eye(2)[P]


def ex_ante_form(A, B, belief_row, belief_column):
    """The ex-ante strategic form ``(M, N)`` (Harsanyi 1967–68), vectorised.

    ``A``, ``B``: shape ``(..., n_row, n_col, 2, 2)``; ``belief_row`` (row's belief over the
    column's types): ``(..., n_col)``; ``belief_column``: ``(..., n_row)``. Returns two arrays
    of shape ``(..., 2**n_row, 2**n_col)``; own types carry uniform weights.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    nr, nc = A.shape[-4], A.shape[-3]
    Er, Ec = _one_hot(nr), _one_hot(nc)
    mr = np.asarray(belief_row, dtype=float)
    mc = np.asarray(belief_column, dtype=float)
    M = np.einsum("sta,qub,...u,...tuab->...sq", Er, Ec, mr, A, optimize=True) / nr
    N = np.einsum("sta,qub,...t,...tuab->...sq", Er, Ec, mc, B, optimize=True) / nc
    return M, N


def rational(v) -> Fraction:
    """A number as a Fraction: Fractions and integers as they are, a float as the shortest
    decimal that round-trips to it (``0.4`` is 2/5, not the binary double nearest to it)."""
    if isinstance(v, (Fraction, int)):
        return Fraction(v)
    return Fraction(repr(float(v)))


def ex_ante_form_exact(A, B, belief_row, belief_column):
    """The ex-ante form in rational arithmetic (lists of lists of Fractions), for one game;
    numbers are read by :func:`rational`."""
    A = [[[[rational(v) for v in r] for r in g] for g in gs] for gs in np.asarray(A, object)]
    B = [[[[rational(v) for v in r] for r in g] for g in gs] for gs in np.asarray(B, object)]
    mr = [rational(v) for v in belief_row]
    mc = [rational(v) for v in belief_column]
    nr, nc = len(A), len(A[0])
    Pr, Pc = plans(nr).tolist(), plans(nc).tolist()
    M = [[sum(mr[u] * A[t][u][s[t]][q[u]] for t in range(nr) for u in range(nc)) / nr
          for q in Pc] for s in Pr]
    N = [[sum(mc[t] * B[t][u][s[t]][q[u]] for t in range(nr) for u in range(nc)) / nc
          for q in Pc] for s in Pr]
    return M, N


def behaviour(x, n_types: int) -> tuple[Fraction, ...]:
    """Probability that each type plays C under the mixed plan ``x`` (Kuhn 1953)."""
    P = plans(n_types)
    return tuple(sum((x[s] for s in range(len(x)) if P[s, t] == 0), Fraction(0))
                 for t in range(n_types))


@dataclass(frozen=True)
class BayesianGame:
    """A 2x2 Bayesian game: utilities per type profile and each player's belief.

    ``A``, ``B``: utility games of shape ``(n_row, n_col, 2, 2)``; ``belief_row``: row's
    belief over the column's types; ``belief_column``: column's over row's.
    """

    A: np.ndarray
    B: np.ndarray
    belief_row: np.ndarray
    belief_column: np.ndarray
    types: tuple[tuple[str, ...], tuple[str, ...]] = (("row",), ("column",))
    players: tuple[str, str] = ("row", "column")

    def __post_init__(self):
        for name in ("A", "B", "belief_row", "belief_column"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=float))
        nr, nc = self.A.shape[:2]
        if self.A.shape != (nr, nc, 2, 2) or self.B.shape != self.A.shape:
            raise ValueError(f"A and B must have shape (n_row, n_col, 2, 2), got "
                             f"{self.A.shape} and {self.B.shape}")
        if self.belief_row.shape != (nc,) or self.belief_column.shape != (nr,):
            raise ValueError("belief_row needs one probability per column type and "
                             "belief_column one per row type")
        if not self.types or len(self.types[0]) != nr or len(self.types[1]) != nc:
            object.__setattr__(self, "types", (tuple(f"t{i}" for i in range(nr)),
                                               tuple(f"t{j}" for j in range(nc))))

    @classmethod
    def complete(cls, A, B, players=("row", "column")) -> "BayesianGame":
        """The complete-information game as a Bayesian game with one type per side."""
        A = np.asarray(A, float)[None, None]
        B = np.asarray(B, float)[None, None]
        return cls(A, B, [1.0], [1.0], (("row",), ("column",)), tuple(players))

    @property
    def shape(self) -> tuple[int, int]:
        return self.A.shape[0], self.A.shape[1]

    def with_beliefs(self, belief_row=None, belief_column=None) -> "BayesianGame":
        return BayesianGame(self.A, self.B,
                            self.belief_row if belief_row is None else belief_row,
                            self.belief_column if belief_column is None else belief_column,
                            self.types, self.players)

    def ex_ante(self):
        """The ex-ante strategic form ``(M, N)`` in floating point."""
        return ex_ante_form(self.A, self.B, self.belief_row, self.belief_column)

    def ex_ante_exact(self):
        """The ex-ante strategic form in rational arithmetic (numbers read by
        :func:`rational`)."""
        return ex_ante_form_exact(self.A, self.B, self.belief_row, self.belief_column)

    def equilibria(self) -> list["BayesNash"]:
        """Every extreme Bayesian Nash equilibrium, pure and mixed, exactly (see module)."""
        M, N = self.ex_ante_exact()
        nr, nc = self.shape
        seen, out = set(), []
        for x, y in extreme_equilibria(M, N):
            key = (behaviour(x, nr), behaviour(y, nc))
            if key not in seen:
                seen.add(key)
                out.append(BayesNash(*key, self.types))
        return out


@dataclass(frozen=True)
class BayesNash:
    """A Bayesian Nash equilibrium as behaviour: each type's probability of C (exact)."""

    row: tuple[Fraction, ...]
    column: tuple[Fraction, ...]
    types: tuple[tuple[str, ...], tuple[str, ...]]

    @property
    def pure(self) -> bool:
        return all(p in (0, 1) for p in self.row + self.column)

    def to_dict(self) -> dict:
        return {"row": {t: float(p) for t, p in zip(self.types[0], self.row)},
                "column": {t: float(p) for t, p in zip(self.types[1], self.column)},
                "pure": self.pure}

    def describe(self, players=("row", "column")) -> str:
        def side(names, probs):
            return ", ".join(f"{n}: " + ("C" if p == 1 else "D" if p == 0 else f"C w.p. "
                                         f"{float(p):.3g}") for n, p in zip(names, probs))
        return f"{players[0]} [{side(self.types[0], self.row)}]; " \
               f"{players[1]} [{side(self.types[1], self.column)}]"
