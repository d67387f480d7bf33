"""``python -m cranesim``: the same as the ``cranesim`` command."""

from cranesim.cli import main

raise SystemExit(main())
