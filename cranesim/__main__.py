"""``python -m cranesim``: the same as the ``cranesim`` command."""

from cranesim.cli.app import main

raise SystemExit(main())
