import sys

from presidium.cli import main

sys.exit(main())
