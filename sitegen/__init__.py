"""sitegen: a static site generator for a network's news, events, calls and programmes."""

from pathlib import Path

__version__ = "0.1.0"
# The default theme (templates and static files), inside the package: every stage that needs it reads it here.
THEME_DIR = Path(__file__).parent / "theme"
