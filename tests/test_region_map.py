"""The region map is a slice through the scenario's own point: the regime under the star is
the regime the analysis prints, for equal and unequal relative-gain weights."""

import numpy as np
from hypothesis import given, settings, strategies as st

from sim import analysis, scenario

weight = st.floats(0.0, 1.0).map(lambda w: round(w, 3))


def load(w_nato, w_csto, delta, threat):
    return scenario.load("nato_csto_2007", [
        ("preferences.relative_gain_weight.NATO", w_nato),
        ("preferences.relative_gain_weight.CSTO", w_csto),
        ("repeated.discount", delta), ("parameters.threat", threat)])


def regime_under_star(sc):
    x, y = analysis.regime_map(sc, weights=[0.0, 1.0], discounts=[0.0])["point"]
    weights = np.unique(np.concatenate([np.linspace(0, 1, 6), [x]]))
    discounts = np.unique(np.concatenate([np.linspace(0, 0.99, 5), [y]]))
    data = analysis.regime_map(sc, weights=weights, discounts=discounts)
    code = data["regime"][np.flatnonzero(discounts == y)[0], np.flatnonzero(weights == x)[0]]
    from sim.equilibria import regime_names

    return str(regime_names(code)), data


@settings(max_examples=40, deadline=None)
@given(weight, weight, st.floats(0.0, 0.99), st.floats(0.0, 6.0))
def test_star_shows_the_printed_regime(w_nato, w_csto, delta, threat):
    sc = load(w_nato, w_csto, delta, threat)
    name, data = regime_under_star(sc)
    assert name == analysis.summarize(sc)["regime"]
    assert data["point"] == (w_nato, delta)
    if w_nato != w_csto:
        assert "CSTO's held at" in data["xlabel"] and data["slice"]["held"] == {"CSTO": w_csto}
    else:
        assert "both players" in data["xlabel"] and data["slice"] is None


def test_report_case_unequal_weights():
    """NATO = 0, CSTO = 0.5, δ = 0.95: the printed regime is reciprocity, and so is the map's
    under the star (it used to sit in one-sided, at the mean weight 0.25)."""
    sc = load(0.0, 0.5, 0.95, 1.0)
    assert analysis.summarize(sc)["regime"] == "reciprocity"
    assert regime_under_star(sc)[0] == "reciprocity"


def test_unequal_weights_figure_names_the_slice():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.plots.regions import draw_regime_map

    sc = load(0.0, 0.5, 0.95, 1.0)
    fig = draw_regime_map(analysis.regime_map(sc, weights=np.linspace(0, 1, 21),
                                              discounts=np.linspace(0, 0.99, 20)))
    ax = fig.axes[0]
    assert "CSTO's held at 0.50" in ax.get_title() and "NATO's weight varies" in ax.get_title()
    assert ax.get_xlabel().startswith("NATO's relative-gain weight")
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(weight, weight, st.floats(0.0, 6.0))
def test_spe_curve_is_the_regimes_boundary(w_nato, w_csto, threat):
    """Along the slice, a point is cooperative exactly when δ is at or above the drawn ``spe``
    curve (the exact criterion the regimes use; ``nan``: no δ < 1)."""
    sc = load(w_nato, w_csto, 0.9, threat)
    d = np.linspace(0, 0.99, 12)
    data = analysis.regime_map(sc, weights=np.linspace(0, 1, 15), discounts=d)
    spe = np.asarray(data["thresholds"]["spe"])
    above = d[:, None] >= np.where(np.isnan(spe), np.inf, spe)[None, :] - 1e-9
    np.testing.assert_array_equal(data["cooperative"], above)


def test_figure_draws_and_names_the_spe_boundary():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.plots.regions import draw_regime_map

    fig = draw_regime_map(analysis.regime_map(scenario.load("chicken"),
                                              weights=np.linspace(0, 1, 21),
                                              discounts=np.linspace(0, 0.99, 20)))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("exact criterion (spe)") for t in labels)
    spe = [line for line in ax.get_lines() if line.get_label().startswith("exact criterion")]
    assert spe and np.isfinite(spe[0].get_ydata()).any()
    plt.close(fig)
