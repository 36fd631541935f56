"""Pure engines that know bets, bonuses and payments.

Nothing here touches a database, the network or the web: every function takes plain
mappings (the JSON of the contracts) and returns plain values, so the same engine serves
the CLI, the HTTP API, the automatic checks on a case and the benchmark suite.
"""
