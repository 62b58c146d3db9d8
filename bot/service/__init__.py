"""The running service (``socialbot serve``): sources, triage, Slack and the outbox in one process.

Each module holds one part; :mod:`bot.service.runner` puts them together and shuts them down
in order (stop taking work, finish what is in flight, flush, close the store).
"""
