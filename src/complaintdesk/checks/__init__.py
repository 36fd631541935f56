"""Automatic checks on a case: the operator's records fetched and explained for the agent.

A new complaint gets the checks it needs (``services.plan``): the settlement of each bet
it names, the wagering of the customer's bonus, the customer's recent payments. They run
in the background (``tasks``), are retried while the platform is unavailable, add an
internal timeline event when they finish, and can be re-run by staff.
"""
