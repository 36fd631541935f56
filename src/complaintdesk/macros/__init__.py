"""Reply templates ("macros"): a reply's usual words in English and Russian, with
placeholders (``{name}``, ``{reference}``, ``{deadline}``...) filled from the case.

Leads and admins manage them; every agent uses them. Placeholders are filled by a plain
substitution (``rendering``), never by a template engine: a template is text, and nothing
in it or in a customer's name can run.
"""
