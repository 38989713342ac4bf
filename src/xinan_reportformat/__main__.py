"""``python -m xinan_reportformat check FILE [--json]``."""

import sys

from xinan_reportformat.cli import main

sys.exit(main(sys.argv[1:]))
