from reportlib.cli import main

raise SystemExit(main())
