"""Cases and scenarios: reading scenario files (with ``extends`` and overrides) and the
recorded outcomes of a case."""
