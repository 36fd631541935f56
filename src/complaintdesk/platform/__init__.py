"""The operator's platform behind the desk: customers, bets, transactions and bonuses.

One :class:`~complaintdesk.platform.protocol.Platform` protocol, three adapters chosen by
settings (:func:`~complaintdesk.platform.factory.platform_from_settings`): ``http`` for a
live platform, ``files`` for JSON Lines exports, ``demo`` for the demo operator kept in
the desk's own database. Every record is validated on the way in (``records``), so the
checks never meet a malformed one: a platform that answers badly is *unavailable*.
"""
