"""The lesson: the report's argument as eight short steps, each one idea, one figure and one
question for the class. Every number in the text comes from the library's results."""

from __future__ import annotations

from html import escape

#: The classroom exercises of ``docs/exercises.md`` by number (their headings; a test keeps
#: the two equal), so that a lesson step can name the exercise that works its question out.
EXERCISES = {1: "the one-shot game", 2: "relative gains turn the game",
             3: "the shadow of the future", 4: "win-stay lose-shift against grim trigger",
             5: "a tournament", 6: "does cooperation evolve? (replicator dynamics)",
             7: "a single mutant (the Moran process)", 8: "the folk theorem",
             9: "2007, one-sided — and what the verdict hinges on", 10: "the common threat",
             11: "bloc or bilateral, and who holds power in the bloc", 12: "trust"}


def exercise_note(numbers) -> str:
    """``<p class="exercise">``: the classroom exercises (docs site, *Exercises*) that work a
    question out, by pen and paper and with the command line."""
    names = "; ".join(f"{n}, {escape(EXERCISES[n])}" for n in numbers)
    word = "exercise" if len(numbers) == 1 else "exercises"
    return (f'<p class="exercise">Worked out in the classroom {word} {names} (blocsim '
            "documentation, <em>Exercises</em>).</p>")


def _step(title: str, idea: str, question: str, fig: str | None, exercises=()) -> str:
    return (f'<section data-title="{escape(title)}"' + (f' data-figure="{fig}"' if fig else "")
            + f'><p>{idea}</p><div class="slot"></div>'
            f'<p class="question"><strong>Question for the class:</strong> {escape(question)}</p>'
            + exercise_note(exercises) + "</section>")


def _eq_text(block) -> str:
    pure = [f"({e['outcome'][0]},{e['outcome'][1]})" for e in block["equilibria"] if e["pure"]]
    return " and ".join(pure) or "only a mixed equilibrium"


def _shares(final: dict) -> str:
    """The leading strategy of each population and its final share."""
    pops = final if all(isinstance(v, dict) for v in final.values()) else {"all": final}
    return "; ".join(f"{'' if who == 'all' else who + ': '}{top} {shares[top]:.0%}"
                     for who, shares in pops.items() for top in [max(shares, key=shares.get)])


def lesson_steps(s, tour, evo, folk, parts) -> str:
    """The eight steps as hidden ``<section>`` elements that the page shows one at a time."""
    a, b = (escape(n) for n in s["players"])
    mat, util = s["material"], s["utility"]
    R = (mat["row"][0][0] - mat["row"][1][1], mat["column"][0][0] - mat["column"][1][1])
    more, less = (b, a) if R[1] > R[0] else (a, b)
    w = s["weights"]
    crit = s["critical_weight"][s["players"][0]]
    top = escape(tour["ranking"][0])
    final = evo.get("final_shares")
    steps = [
        _step("The one-shot game",
              f"Each side chooses C (engage the other bloc) or D (decline). Counting material "
              f"gains only, the one-shot game's equilibria are {_eq_text(mat)}; {a} is a "
              f"{escape(mat['types'][s['players'][0]]['name'] or 'unnamed')} player, {b} a "
              f"{escape(mat['types'][s['players'][1]]['name'] or 'unnamed')} player.",
              "Which cell would both sides pick if they met once and never again? Why?",
              "tab-material", (1,)),
        _step("Who gains more?",
              f"Cooperation pays both: (C,C) over (D,D) gives {a} {R[0]:.3g} and {b} {R[1]:.3g}. "
              f"But {more} gains more than {less}.",
              f"Should {less} mind that {more} gains more, if it gains too?", "fig-gains", (2,)),
        _step("Relative gains turn the game",
              f"A realist asks \"who will gain more?\" (Grieco 1988): each side subtracts a "
              f"share r of the other's gain (Snidal 1991). With r = {w[s['players'][0]]:.3g} for "
              f"{a} and {w[s['players'][1]]:.3g} for {b}, the utility game's equilibria are "
              f"{_eq_text(util)}.",
              "Which player's type changed, and which cell is now the equilibrium?", "tab-utility",
              (2,)),
        _step("The shadow of the future",
              "In a repeated game a side that defects today loses cooperation tomorrow. The "
              "longer the shadow of the future (δ close to 1), the more outcomes can be "
              "sustained (Axelrod 1984; Fudenberg & Maskin 1986).",
              "Look at the sets: does a longer future make (C,C) possible here? For whom not?",
              "fig-folk", (3, 4, 8)),
        _step("Reciprocity in a tournament",
              f"A round robin of plainly named strategies on the utility game: {top} comes "
              "first. Strategies that answer like with like do well when they meet each other.",
              "Why do nice but retaliating strategies do well, and when do they not?",
              "fig-tournament", (5,)),
        _step("Does cooperation evolve?",
              "Let strategies that score more spread through the population (replicator "
              "dynamics)." + (f" In the end: {escape(_shares(final))}." if final else ""),
              "Does the cooperative strategy take over here? What would have to change?",
              "fig-evolution", (6, 7)),
        _step("2007: one-sided",
              f"The scenario's regime is <strong>{escape(s['regime'])}</strong>: "
              f"{escape(s['regime_text'])} (C,C) would hold for {a} only up to a relative-gain "
              f"weight of {'—' if crit is None else f'{crit:.3g}'}.",
              f"Find the scenario's point on the map. How far would {a}'s concern for relative "
              "gains have to fall?", "fig-map", (9,)),
        _step("The common threat",
              "A common threat (drugs, terrorism, Afghanistan) raises what both gain from pooling "
              "effort. Move right along the strip: the regime changes as the threat grows.",
              "How much larger would the common threat have to be for cooperation, and is that "
              "realistic?", "fig-threat" if "threat" in parts else "fig-map", (10,)),
    ]
    return f'<div id="lesson-steps" hidden>{"".join(steps)}</div>'
