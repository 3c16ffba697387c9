"""Placeholder until the queued signal processor lands (owned by the search work)."""
from haystack.signals import BaseSignalProcessor


class QueuedSignalProcessor(BaseSignalProcessor):
    pass
