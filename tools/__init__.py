"""Tools of the repository, run from a checkout (``python tools/NAME.py``); not part of the installed package."""
