"""`python -m neurona.playground [--port N] [--host H] [--no-browser]`: the same as `neurona playground`."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
