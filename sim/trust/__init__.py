"""Trust and mistrust: uncertainty about the other bloc's type.

A *type* is a set of preferences (a relative-gain weight, factor overrides or full payoffs),
held with a prior; each side has its own belief about the other. The modules, in the order of
the data flow:

* :mod:`~sim.trust.beliefs` — Bayes' rule, exact on Fractions;
* :mod:`~sim.trust.exact` — exact equilibrium enumeration of small bimatrix games;
* :mod:`~sim.trust.bayesian` — Bayesian games, the ex-ante strategic form and every Bayesian
  Nash equilibrium (Harsanyi 1967–68; Selten 1975);
* :mod:`~sim.trust.threshold` — the trust threshold in closed form (Kydd 2005, ch. 2–3);
* :mod:`~sim.trust.signalling` — costly reassurance and every perfect Bayesian equilibrium,
  refined by the intuitive criterion (Kydd 2005, ch. 7; Cho & Kreps 1987);
* :mod:`~sim.trust.learning` — belief paths and spirals under noise (Jervis 1976);
* :mod:`~sim.trust.model` — the scenario's types and beliefs as these objects;
* :mod:`~sim.trust.record` — the report's dated events as data, and the model's account;
* :mod:`~sim.trust.summary` — what ``blocsim trust`` reports, and the maps of its figures.

With one type per side everything reduces to the complete-information model.
"""
