from xborder.cli import main

raise SystemExit(main())
