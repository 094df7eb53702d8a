"""`python -m omnicart.cli`: the same as the `omnicart` command."""

import sys

from omnicart.cli import main

sys.exit(main())
