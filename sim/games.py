"""Stage games: 2x2 material payoffs, factor models, and each player's ordinal type.

Conventions (as in nashpy): action 0 is **C** (engage in bloc-level cooperation), action 1 is
**D** (decline). ``A[i, j]`` is the row player's payoff and ``B[i, j]`` the column player's when
row plays ``i`` and column plays ``j``. Outcomes are written (row action, column action):
``CC, CD, DC, DD``.

Every analytic function takes payoff arrays of shape ``(..., 2, 2)`` and broadcasts over the
leading axes, so a sweep of a million games is one call.

Each player's *own view* of a game is the matrix ``M[own action, other's action]``: for row
that is ``A``, for column it is ``B`` transposed. From an own view, Rapoport & Chammah's (1965)
letters are ``R = M[0,0]`` (reward), ``S = M[0,1]`` (sucker), ``T = M[1,0]`` (temptation) and
``P = M[1,1]`` (punishment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from .results import Result

ACTIONS = ("C", "D")
OUTCOMES = ("CC", "CD", "DC", "DD")
THEORIES = ("liberal", "realist")
#: Tolerance, relative to each player's payoff range, within which two of its payoffs count
#: as tied (shared with sim.equilibria).
TIE_TOL = 1e-9


def own_views(A, B) -> np.ndarray:
    """Stack both players' own views: shape ``(2, ..., 2, 2)``, index 0 row, 1 column.

    ``views[p][..., own, other]`` is player ``p``'s payoff when it plays ``own`` and the
    other plays ``other``. Every per-player formula is written once, on an own view.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    A, B = np.broadcast_arrays(A, B)
    return np.stack([A, np.swapaxes(B, -1, -2)])


def trps(M) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(T, R, P, S)`` of an own-view matrix ``M`` (Rapoport & Chammah, 1965)."""
    M = np.asarray(M, dtype=float)
    return M[..., 1, 0], M[..., 0, 0], M[..., 1, 1], M[..., 0, 1]


def matrix_from_trps(T, R, P, S) -> np.ndarray:
    """Own-view matrix ``[[R, S], [T, P]]`` from the four letters (broadcasts)."""
    T, R, P, S = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (T, R, P, S)))
    return np.stack([np.stack([R, S], -1), np.stack([T, P], -1)], -2)


# --------------------------------------------------------------------------------------------
# Ordinal types
# --------------------------------------------------------------------------------------------

#: Names of the strict orderings of (T, R, P, S) that the literature names (Rapoport & Guyer
#: 1966; Robinson & Goforth 2005), with a sentence a student can read.
NAMED_ORDERINGS: dict[str, tuple[str, str]] = {
    "T>R>P>S": ("Prisoner's Dilemma", "D dominates, yet both prefer (C,C) to (D,D)."),
    "R>T>P>S": ("Stag Hunt", "Cooperating pays only if the other cooperates too (assurance)."),
    "T>R>S>P": ("Chicken", "Best is to defect on a cooperator, worst is mutual defection."),
    "R>T>S>P": ("Harmony", "C dominates and (C,C) is best: no conflict of interest."),
    "T>P>R>S": ("Deadlock", "D dominates and (D,D) is preferred to (C,C)."),
    "T>S>R>P": ("Leader", "Best is to act differently, with oneself taking D (leading)."),
}

_LETTERS = ("T", "R", "P", "S")


def ordering_code(M) -> np.ndarray:
    """Integer code of the weak ordering of ``(T, R, P, S)`` in an own view (broadcasts).

    Each letter's rank is the number of letters strictly above it (0..3); the code is
    ``sum(rank_k * 4**k)``. Ties give equal ranks, so every weak ordering has its own code;
    payoffs closer than ``TIE_TOL`` times the player's payoff range are ties (rounding noise).
    Relative to the range with no absolute floor, so the code is invariant under positive
    affine maps of the payoffs at any scale; all four equal gives ``T=R=P=S``.
    """
    x = np.stack(trps(M), -1)
    # within TIE_TOL of the player's payoff range count as tied, as in sim.equilibria
    tol = TIE_TOL * np.ptp(x, axis=-1, keepdims=True)[..., None]
    ranks = (x[..., None, :] > x[..., :, None] + tol).sum(-1)
    return (ranks * 4 ** np.arange(4)).sum(-1)


def ordering_string(code: int) -> str:
    """``"T>R>P>S"``-style string of an ordering code; ties are written with ``=``."""
    ranks = [(int(code) // 4**k) % 4 for k in range(4)]
    order = sorted(range(4), key=lambda k: (ranks[k], k))
    out = _LETTERS[order[0]]
    for prev, k in zip(order, order[1:]):
        out += ("=" if ranks[k] == ranks[prev] else ">") + _LETTERS[k]
    return out


@dataclass(frozen=True)
class PlayerType(Result):
    """A player's ordinal type: its ordering of T, R, P, S and the name, where one exists."""

    ordering: str
    name: str | None
    description: str
    ties: bool

    @property
    def label(self) -> str:
        return self.name if self.name else f"unnamed ({self.ordering})"


def _describe_unnamed(ordering: str) -> str:
    if ordering == "T=R=P=S":
        return ("All four payoffs are equal: this player is indifferent among all outcomes, "
                "so every action is a best reply and nothing it does depends on the other.")
    strict = "=" not in ordering
    facts = []
    r, t, p, s = (ordering_rank(ordering, c) for c in "RTPS")
    if r < t and s < p:
        facts.append("C dominates")
    elif t < r and p < s:
        facts.append("D dominates")
    elif r < t and p < s:
        facts.append("best reply is to match the other's action")
    elif t < r and s < p:
        facts.append("best reply is the opposite of the other's action")
    facts.append("prefers (C,C) to (D,D)" if r < p else
                 "prefers (D,D) to (C,C)" if p < r else "indifferent between (C,C) and (D,D)")
    return ("; ".join(facts) + "." if strict else
            "Tied payoffs: " + "; ".join(facts) + ". Ties make some best replies weak.")


def ordering_rank(ordering: str, letter: str) -> int:
    """Rank of ``letter`` in an ordering string (0 = best; tied letters share a rank)."""
    rank = 0
    for token in ordering.split(">"):
        if letter in token.split("="):
            return rank
        rank += len(token.split("="))
    raise ValueError(f"letter {letter!r} not in ordering {ordering!r}")


def player_type(code: int) -> PlayerType:
    """The :class:`PlayerType` of an ordering code (see :func:`ordering_code`)."""
    ordering = ordering_string(code)
    ties = "=" in ordering
    if ordering in NAMED_ORDERINGS:
        name, text = NAMED_ORDERINGS[ordering]
        return PlayerType(ordering, name, text, ties)
    return PlayerType(ordering, None, _describe_unnamed(ordering), ties)


def player_types(A, B) -> tuple[PlayerType, PlayerType]:
    """Ordinal types of the row and the column player of one 2x2 game."""
    codes = ordering_code(own_views(A, B))
    return player_type(int(codes[0])), player_type(int(codes[1]))


# --------------------------------------------------------------------------------------------
# Factor models
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factor:
    """A named, signed payoff contribution per outcome and player (see MODEL-NOTES.md).

    ``values[outcome] = (to row, to column)``; outcomes not listed contribute 0. ``scale``
    names a parameter that multiplies the whole factor (e.g. ``synergy`` scaled by ``threat``).
    """

    name: str
    theory: str
    values: Mapping[str, tuple[float, float]]
    scale: str | None = None
    note: str = ""


def _unit(outcome: str) -> np.ndarray:
    E = np.zeros((2, 2))
    E[ACTIONS.index(outcome[0]), ACTIONS.index(outcome[1])] = 1.0
    return E


def factor_game(factors: Sequence[Factor], parameters: Mapping[str, object]):
    """Material payoffs ``(A, B)`` as the sum of factors, each times its scale parameter.

    Parameters and factor values may be numpy arrays: the result then has shape
    ``broadcast + (2, 2)``, so a sweep over ``threat`` is one call. Each outcome's payoff is
    summed on its own (in the order of the factors), then the games are filled once.
    """
    cells: dict[str, tuple] = {}
    for f in factors:
        w = 1.0 if f.scale is None else np.asarray(parameters[f.scale], dtype=float)
        for outcome, (to_row, to_column) in f.values.items():
            row, column = cells.get(outcome, (0.0, 0.0))
            cells[outcome] = (row + w * np.asarray(to_row, dtype=float),
                              column + w * np.asarray(to_column, dtype=float))
    shape = np.broadcast_shapes(*(np.shape(x) for pair in cells.values() for x in pair))
    A = np.zeros(shape + (2, 2))
    B = np.zeros(shape + (2, 2))
    for outcome, (row, column) in cells.items():
        i, j = ACTIONS.index(outcome[0]), ACTIONS.index(outcome[1])
        A[..., i, j] = row
        B[..., i, j] = column
    return A, B


# --------------------------------------------------------------------------------------------
# The Game object
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Game(Result):
    """A 2x2 stage game with named players: ``A`` row's payoffs, ``B`` column's."""

    A: np.ndarray
    B: np.ndarray
    players: tuple[str, str] = ("row", "column")
    label: str = field(default="payoffs", compare=False)

    def __post_init__(self):
        object.__setattr__(self, "A", np.asarray(self.A, dtype=float))
        object.__setattr__(self, "B", np.asarray(self.B, dtype=float))

    @classmethod
    def symmetric(cls, T, R, P, S, players=("row", "column")) -> "Game":
        """Symmetric game from ``T, R, P, S``: ``A = [[R, S], [T, P]]``, ``B = A.T``
        (arrays broadcast: a batch of games).

        Examples
        --------
        >>> Game.symmetric(T=5, R=3, P=1, S=0).A.tolist()
        [[3.0, 0.0], [5.0, 1.0]]
        """
        M = matrix_from_trps(T, R, P, S)
        return cls(M, np.swapaxes(M, -1, -2), tuple(players))

    @classmethod
    def from_trps(cls, row: Sequence[float], column: Sequence[float],
                  players=("row", "column")) -> "Game":
        """Asymmetric game from each player's own ``(T, R, P, S)``."""
        return cls(matrix_from_trps(*row), np.swapaxes(matrix_from_trps(*column), -1, -2),
                   tuple(players))

    def swapped(self) -> "Game":
        """The same game with the players' roles exchanged."""
        return Game(np.swapaxes(self.B, -1, -2), np.swapaxes(self.A, -1, -2),
                    self.players[::-1], self.label)

    # -- analysis: each method is one call of a vectorised function (as nashpy's Game) -------
    def types(self) -> tuple[PlayerType, PlayerType]:
        """Each player's ordinal type (:func:`player_types`).

        Returns
        -------
        (PlayerType, PlayerType)
            Row's and column's ordering of T, R, P, S and its name, where one exists.

        Examples
        --------
        >>> Game.symmetric(T=5, R=3, P=1, S=0).types()[0].name
        "Prisoner's Dilemma"
        """
        return player_types(self.A, self.B)

    def equilibria(self) -> list:
        """Nash equilibria of the stage game (:func:`sim.equilibria.nash_equilibria`).

        Returns
        -------
        list of (numpy.ndarray, numpy.ndarray)
            ``(row mix, column mix)`` pairs, probabilities of C and D.

        Examples
        --------
        >>> [(s.tolist(), t.tolist()) for s, t in Game.symmetric(T=5, R=3, P=1, S=0).equilibria()]
        [([0.0, 1.0], [0.0, 1.0])]
        """
        from .equilibria import nash_equilibria

        return nash_equilibria(self.A, self.B)

    def utility(self, r=0.0) -> "Game":
        """The utility game ``u_i = π_i − r_i·π_j`` (Snidal 1991; :func:`sim.preferences.
        utility_game`).

        Parameters
        ----------
        r : float or (float, float)
            Relative-gain weights of row and column (one number: both); arrays broadcast.

        Returns
        -------
        Game
            The game the players act on.

        Examples
        --------
        >>> Game.symmetric(T=5, R=3, P=1, S=0).utility(r=(0.5, 0.2)).A.tolist()
        [[1.5, -2.5], [5.0, 0.5]]
        """
        from .preferences import utility_game

        r_row, r_column = (r, r) if np.ndim(r) == 0 else r
        return Game(*utility_game(self.A, self.B, r_row, r_column), self.players, "utilities")

    def thresholds(self) -> dict:
        """Smallest discount factors at which grim trigger, TFT and WSLS sustain (C,C), and at
        which (C,C) played forever is subgame perfect under Nash reversion, the optimal penal
        code, and the harsher of the two (``nash``, ``penal``, ``spe``)
        (:func:`sim.equilibria.threshold`).

        Returns
        -------
        dict
            ``{profile: {row name: δ, column name: δ, "both": δ}}``; nan where no δ < 1
            suffices.

        Examples
        --------
        >>> float(Game.symmetric(T=5, R=3, P=1, S=0).thresholds()["grim"]["both"])
        0.5
        """
        from .equilibria import PROFILES, PUNISHMENTS, threshold

        return {p: dict(zip([*self.players, "both"], threshold(self.A, self.B, p)))
                for p in PROFILES + PUNISHMENTS}

    def regime(self, discount):
        """The regime of the game at discount factor δ (:func:`sim.equilibria.regime`).

        Parameters
        ----------
        discount : float or array_like
            The discount factor δ in [0, 1); arrays broadcast with the game's batch shape.

        Returns
        -------
        str or numpy.ndarray
            A regime name (:data:`sim.equilibria.REGIMES`), or an array of names.

        Examples
        --------
        >>> Game.symmetric(T=5, R=3, P=1, S=0).regime(discount=0.9)
        'reciprocity'
        """
        from .equilibria import regime, regime_names

        names = regime_names(regime(self.A, self.B, discount))
        return names if isinstance(names, str) or np.ndim(names) else str(names)

    def spe(self, discount):
        """The pure-strategy subgame-perfect payoff set at δ (Abreu & Sannikov 2014;
        :func:`sim.spe.spe_payoff_set`).

        Parameters
        ----------
        discount : float
            The discount factor δ in [0, 1).

        Returns
        -------
        sim.spe.PayoffSet
            Its vertices, best and worst payoffs, and ``contains(point)``.

        Examples
        --------
        >>> Game.symmetric(T=5, R=3, P=1, S=0).spe(discount=0.9).contains((3, 3))
        True
        """
        from .spe import spe_payoff_set

        return spe_payoff_set(self.A, self.B, discount)

    def trps(self) -> dict[str, dict[str, float]]:
        """Each player's ``T, R, P, S`` as plain floats."""
        views = own_views(self.A, self.B)
        return {name: dict(zip(_LETTERS, (float(x) for x in trps(views[p]))))
                for p, name in enumerate(self.players)}

    def to_dict(self) -> dict:
        return {"players": list(self.players),
                "row": self.A.tolist(), "column": self.B.tolist(),
                "outcomes": {o: [float(self.A[i, j]), float(self.B[i, j])]
                             for o, (i, j) in zip(OUTCOMES, np.ndindex(2, 2))}}

    def to_text(self, digits: int = 3) -> str:
        """A plain-text table: one cell ``row, column`` per outcome."""
        fmt = f"{{:.{digits}g}}"
        r, c = self.players
        cells = [[f"{fmt.format(self.A[i, j])}, {fmt.format(self.B[i, j])}" for j in range(2)]
                 for i in range(2)]
        w = max(len(r) + 2, *(len(x) for row in cells for x in row), len(c) + 3)
        lines = [f"{'':{w}}  {c + ' C':>{w}}  {c + ' D':>{w}}"]
        for i, a in enumerate(ACTIONS):
            lines.append(f"{r + ' ' + a:<{w}}  {cells[i][0]:>{w}}  {cells[i][1]:>{w}}")
        return "\n".join(lines)

    def _table(self):
        """One row per outcome: its payoff to each player."""
        return (["outcome", *self.players],
                [[o, float(self.A[i, j]), float(self.B[i, j])]
                 for o, (i, j) in zip(OUTCOMES, np.ndindex(2, 2))])

    def _repr_html_(self) -> str:
        r, c = self.players
        rows = "".join(
            f"<tr><th>{r} {a}</th>" + "".join(
                f"<td>{self.A[i, j]:.4g}, {self.B[i, j]:.4g}</td>" for j in range(2)) + "</tr>"
            for i, a in enumerate(ACTIONS))
        return (f"<table><caption>{self.label} ({r}, {c})</caption>"
                f"<tr><th></th><th>{c} C</th><th>{c} D</th></tr>{rows}</table>")

    def __repr__(self) -> str:
        return f"Game(players={self.players!r}, label={self.label!r})\n{self.to_text()}"
