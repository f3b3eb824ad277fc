"""``python -m afghangeo`` runs the command line."""

import sys

from afghangeo.cli import main

sys.exit(main())
