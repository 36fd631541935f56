"""The staff console at ``/console``: sign in, work the queues, read the whole case with
the operator's evidence beside it, answer, decide, and administer the desk.

The core of the context (``models``, ``services``, ``queries``, ``errors``) knows nothing
of the web: sign-in with lock-out, the console's sessions, the queues and their counts.
``views`` and ``templates`` are its web face and call the same services as the API.
"""
