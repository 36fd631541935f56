"""Cases that belong together: related cases linked both ways, and duplicates merged.

A duplicate is merged into the case that carries on: it is closed with a public event
naming the surviving reference, its messages and documents stay where they are, readable,
and each case records the other (``CaseLink`` rows both ways, events on both timelines).
"""
