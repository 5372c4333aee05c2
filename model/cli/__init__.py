"""The command line (``troika``)."""
