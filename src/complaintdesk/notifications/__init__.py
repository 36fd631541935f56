"""Keeping people informed: the outbox, e-mail to customers and webhooks to the operator.

Every message that leaves the desk is derived from a timeline event and written to the
outbox in the same transaction as the change; the worker sends it (``complaintdesk.worker``).
"""
