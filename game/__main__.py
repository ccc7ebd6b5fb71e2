"""`python -m game` is the same as the `kengir` command.

`python -m game --fork-server ...` is `kengir serve`'s fork server (game/web/forkserver.py),
which only the server starts. It is started here, above every layer, because it runs games as
the `kengir` command does (game.cli) and lives with the web server (game.web), below it.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--fork-server"]:
        import gc

        gc.disable()  # from the first import: see game/web/forkserver.py, "Memory"
        from game.cli import build_parser, main
        from game.web.forkserver import main as fork_server

        sys.exit(fork_server(sys.argv[2:], play=main, parse=build_parser().parse_args))
    from game.cli import main

    sys.exit(main())
