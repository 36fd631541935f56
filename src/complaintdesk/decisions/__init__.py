"""Decisions that need a second pair of eyes before the customer is told.

A refused payout (a payout-refusal complaint not upheld: terms breach, suspected fraud) and
compensation above the operator's limit are proposed, not recorded: a compliance officer
who is not the proposer approves or rejects the proposal, and only an approval releases
the final response to the customer. Every step is on the case's timeline (internal).
The reasons a customer reads are screened so they never reveal anti-fraud methods.
"""
