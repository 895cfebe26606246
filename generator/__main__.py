"""`python -m generator` is the same as the `sangkien` command."""

import sys

from generator.cli import main

sys.exit(main())
