from reportlib.build.cli import main

raise SystemExit(main())
