import sys

from xinan.cli import main

sys.exit(main())
