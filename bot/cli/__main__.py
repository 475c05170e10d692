"""``python -m bot.cli``: the same as the ``astreinte`` command."""

import sys

from bot.cli import main

sys.exit(main())
