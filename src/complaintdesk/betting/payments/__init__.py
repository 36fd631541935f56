"""Payment reasons: why a deposit or withdrawal was declined, held or delayed.

:func:`explain` turns a transaction (the operator platform's record) into a safe message
for the customer, in English or Russian, with the next step, and the real meaning, the
owning team and the category for staff. The catalogue behind it is ``reasons.json`` in
this package; operators add their own provider codes with :func:`load_catalogue`.
Modules: ``transaction`` (reading the input), ``catalogue`` (the data, its invariants and
the lookup order), ``explanation`` (the answer).
"""

from complaintdesk.betting.payments.catalogue import Catalogue, Reason, load_catalogue
from complaintdesk.betting.payments.explanation import PaymentExplanation, explain

__all__ = ["Catalogue", "PaymentExplanation", "Reason", "explain", "load_catalogue"]
