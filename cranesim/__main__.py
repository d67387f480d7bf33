"""``python -m cranesim``: the same as the ``cranesim`` command."""

from cranesim.cli.main import main

raise SystemExit(main())
