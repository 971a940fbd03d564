"""`python build.py` is `sitegen build`: builds the site in this folder into output/."""

import sys

from sitegen.cli import main

sys.exit(main(["build", *sys.argv[1:]]))
