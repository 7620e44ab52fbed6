"""Tournament measures: who wins a round robin at each point, and how much it cooperates.

At every point a round-robin tournament (:func:`sim.tournament.tournament`; Axelrod 1980,
1984) among ``players`` is played on the point's **utility game** (material payoffs weighted
by the relative-gain weights, Snidal 1991), each strategy meeting every other in both roles
(the game is asymmetric) and a copy of itself:

* matches continue after every round with probability δ, the point's discount factor
  (Axelrod 1984's w; the shadow of the future), or last ``turns`` rounds if that option is
  given;
* every action is flipped with probability ε (the scenario's ``repeated.noise``, an axis
  ``repeated.noise``, or the option ``noise``);
* ``method`` ``"auto"`` plays exactly (expected payoffs from the Markov chain of the joint
  states, :func:`sim.play.outcome_frequencies`) when every player is finite-state, as the
  default players are, and by Monte Carlo (``repetitions`` per match, seeded by the point's
  own seed) otherwise; ``"exact"`` and ``"simulate"`` force either.

``tournament_winner`` is the player with the highest normalised score (mean per-turn payoff
against the other entrants, Axelrod's criterion); players within ``1e-9·max(1, |best|)`` of
the best score tie, and a tie goes to the first of them in ``players`` (so exact ties, e.g.
TFT and Grim against the same field, do not flip by round-off). ``tournament_cooperation`` is
the mean over players of each player's cooperation rate against the other entrants.

Cost: all the chunk's tournaments are one call (:func:`sim.tournament.tournament_batch`),
equal to :func:`tournaments` (one :func:`sim.tournament.tournament` per point) to the last bit.
Exact play solves each strategy pair's Markov chain once per distinct (δ, ε) of the chunk (the
default players' rules do not depend on the payoffs: a map over payoff parameters at one δ
solves 36 chains in all, about 30 µs a point; a δ × ε map, where every point has its own
chains, about 1.5 ms a point); simulated play runs every match of the chunk in one compiled
call, each point with its own seed. Under ``method="simulate"`` each measure draws from its
own stream, so asking for both plays two independent tournaments per point; exact results are
the same tournament.
"""

from __future__ import annotations

import numpy as np

from ..defaults import TOURNAMENT_REPETITIONS
from .measures import NOISE, Option, check_noise, register

#: The default field: Axelrod's (1984) winner and its relatives, the unconditional
#: strategies, and a coin flip (Random, p = 1/2) as the baseline.
DEFAULT_PLAYERS = ("TFT", "Grim", "WSLS", "AllC", "AllD", "Random")
METHODS = ("auto", "exact", "simulate")
TIE = 1e-9

OPTIONS = {
    "players": Option(tuple, DEFAULT_PLAYERS, "strategies by name (the library's or the "
                                              "scenario's [strategies]), joined by '+' "
                                              "(default TFT+Grim+WSLS+AllC+AllD+Random)"),
    "turns": Option(int, None, "fixed match length (default: matches continue with "
                               "probability δ, the point's discount factor)"),
    "noise": NOISE,
    "method": Option(str, "auto", "exact, simulate, or auto (exact when every player is "
                                  "finite-state)", choices=METHODS),
    "repetitions": Option(int, TOURNAMENT_REPETITIONS,
                          "repetitions of each match when simulated"),
}


def entrants(scenario, names, where: str = "players") -> list:
    """The strategies called ``names``: library strategies, or those ``scenario`` defines
    under ``[strategies]`` (:func:`sim.scenario.strategies.resolve`; ``scenario`` may be
    ``None``). ``ValueError`` (one line) for a name that is neither, listing the allowed."""
    from ..scenario.messages import _did_you_mean
    from ..scenario.strategies import resolve
    from ..strategies import lookup, registry, strategy_from_data

    defined = list((scenario.model.strategies or {}) if scenario is not None else ())
    out = []
    for name, entrant in zip(names, resolve(scenario, names) if defined else names):
        if name not in defined:
            try:
                lookup(name)
            except ValueError:
                own = (f"; or the scenario's [strategies]: {', '.join(defined)}" if defined
                       else "" if scenario is None else
                       " (the scenario defines none under [strategies])")
                known = sorted(registry())
                raise ValueError(f"{where} = {name}: unknown strategy"
                                 f"{_did_you_mean(name, defined + known)}; allowed: "
                                 f"{', '.join(known)}{own}") from None
        out.append(strategy_from_data(entrant, f"{where} {name}"))
    return out


def check_players(players, least: int = 2, finite: bool = False, scenario=None,
                  where: str = "players") -> str | None:
    """An error text if ``players`` are not distinct strategies of the library or of the
    scenario's ``[strategies]`` (at least ``least``, all finite-state if ``finite``), else
    ``None``."""
    joined = "+".join(players)
    if len(players) < least:
        return f"{where} = {joined}: allowed: at least {least} strategies"
    if len(set(players)) < len(players):
        return f"{where} = {joined}: allowed: each strategy once"
    try:
        strategies = entrants(scenario, players, where)
    except ValueError as exc:
        return str(exc)
    for name, strategy in zip(players, strategies):
        if finite and strategy.automaton() is None:
            return (f"{where}: {name} has infinite memory; allowed here: finite-state "
                    "strategies (exact play)")
    return None


def _check(options, scenario=None) -> str | None:
    return check_noise(options) or check_players(options.get("players", DEFAULT_PLAYERS),
                                                 finite=options.get("method") == "exact",
                                                 scenario=scenario)


#: Keys whose values give a point its own Markov chains (the default players' rules do not
#: depend on the payoffs).
CHAIN_KEYS = frozenset({"repeated.discount", "repeated.noise"})


def _cost(options, varying=CHAIN_KEYS) -> float:
    """Seconds per point, batched, measured on one core of the 2-core machine
    (``benchmarks/sweep_measures.py``): exact, ~40 µs per match (k² matches) when the axes
    vary δ or ε (every point its own chains), ~1 µs per match when they do not (the chains are
    shared: only the payoff totals are per point), ~1 µs more per match and turn with
    ``turns``; simulated, ~20 µs plus ~0.1 µs per match and repetition and ~10 ns per turn
    (~5 turns on a δ axis spread over [0, 1))."""
    matches = len(options.get("players", DEFAULT_PLAYERS)) ** 2
    if options.get("method", "auto") == "simulate":
        turns = options.get("turns", 5)
        repetitions = options.get("repetitions", TOURNAMENT_REPETITIONS)
        return 2e-5 + matches * repetitions * (1e-7 + 1e-8 * turns)
    per_match = 4e-5 if CHAIN_KEYS & set(varying) else 1e-6
    return 2e-5 + matches * (per_match + 1e-6 * options.get("turns", 0))


def _memory(options) -> float:
    """Bytes per point: the tournament's simulated matches (:mod:`sim.budget`)."""
    from ..budget import MATCH_BYTES

    simulated = options.get("method", "auto") == "simulate"
    return len(options.get("players", DEFAULT_PLAYERS)) ** 2 * MATCH_BYTES * (
        options.get("repetitions", TOURNAMENT_REPETITIONS) if simulated else 1)


def tournaments(batch, seeds, players=DEFAULT_PLAYERS, turns=None, noise=None,
                method="auto", repetitions=TOURNAMENT_REPETITIONS):
    """The tournament of every point of a flat batch (a generator of
    :class:`sim.tournament.TournamentResult`)."""
    from ..tournament import tournament

    U, V, delta, eps = batch.points(noise)
    players = entrants(batch.scenario, players)
    for i, ss in enumerate(seeds):
        yield tournament(players, U[i], V[i], turns=turns,
                         continuation=None if turns else float(delta[i]), noise=float(eps[i]),
                         repetitions=repetitions, seed=int(ss.generate_state(1, np.uint64)[0]),
                         method=method)


def winner(result) -> int:
    """Index of the tournament's winner (highest normalised score; ties to the first)."""
    scores = result.mean_payoffs
    best = scores.max()
    return int(np.flatnonzero(scores >= best - TIE * max(1.0, abs(best)))[0])


def winners(scores) -> np.ndarray:
    """:func:`winner` of every row of ``scores`` ``(N, n)`` at once (the same comparisons:
    ``max(1, |best|)`` as Python's ``max`` takes it)."""
    best = scores.max(axis=1)
    size = np.abs(best)
    scale = np.where(size > 1.0, size, 1.0)
    return np.argmax(scores >= (best - TIE * scale)[:, None], axis=1)


def tournament_batch(batch, seeds, players=DEFAULT_PLAYERS, turns=None, noise=None,
                     method="auto", repetitions=TOURNAMENT_REPETITIONS):
    """Every point's tournament in one call (:func:`sim.tournament.tournament_batch`): the
    same numbers as :func:`tournaments`, point by point."""
    from ..tournament import tournament_batch as batched

    U, V, delta, eps = batch.points(noise)
    return batched(entrants(batch.scenario, players), U, V, turns=turns, continuation=None if turns else delta,
                   noise=eps, repetitions=repetitions, method=method,
                   seeds=lambda positions: seeds.integers(positions))


@register("tournament_winner", "simulated",
          "the strategy with the highest mean payoff in a round-robin tournament on the "
          "utility game, matches continued with probability δ, with execution noise ε "
          "(exact by default)", dtype="category", options=OPTIONS, cost=_cost, memory=_memory,
          categories=lambda options: list(options.get("players", DEFAULT_PLAYERS)),
          check=_check)
def tournament_winner(batch, seeds, **options):
    return winners(tournament_batch(batch, seeds, **options).mean_payoffs).astype(np.int16)


@register("tournament_cooperation", "simulated",
          "mean cooperation rate of the players of that round-robin tournament against the "
          "other entrants", unit="share of moves", options=OPTIONS, cost=_cost, memory=_memory,
          check=_check)
def tournament_cooperation(batch, seeds, **options):
    return tournament_batch(batch, seeds, **options).cooperation_rates.mean(axis=1)
