"""Blocs with members: decision rules, voting power, bloc-to-bloc against bilateral formats.

Data flow: a scenario's ``[blocs]`` section (:mod:`sim.scenario.blocs`) gives the members'
shares, stakes and weights as arrays → :mod:`sim.blocs.rules` turns the members' preferences
into the bloc's choice → :mod:`sim.blocs.game` plays the bloc-to-bloc game →
:mod:`sim.blocs.formats` compares the bloc format, the bilateral format and the status quo →
:mod:`sim.blocs.flips` finds where preferences change; :mod:`sim.blocs.power` gives each
member's voting power. See ``docs/blocs.md``.
"""
