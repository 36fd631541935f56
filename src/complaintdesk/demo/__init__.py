"""The demo operator: a believable bookmaker and its complaints, for a development desk.

``complaintdesk demo`` loads it (``services.load``); the ``demo`` platform adapter serves
its records to the checks. Modules: ``world`` (names, teams, runners), ``bets`` (slips and
their settlement), ``operator`` (customers, payments, bonuses), ``scripts`` (the
complaints and the records behind them), ``wording`` (what staff and customers write).
"""
