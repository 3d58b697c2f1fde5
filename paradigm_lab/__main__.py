"""`python -m paradigm_lab`: the same as the `paradigm-lab` command."""

import sys

from paradigm_lab.cli import main

sys.exit(main())
