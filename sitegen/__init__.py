"""sitegen: a static site generator for a network's news, events, calls and programmes."""

__version__ = "0.1.0"
