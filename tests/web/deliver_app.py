"""A tiny Textual app that hands a file to the browser, served by `kengir serve`'s own server.

    python tests/web/deliver_app.py --port P --saves DIR --records DIR   # KengirServer, this app per browser
    python tests/web/deliver_app.py --app                                # the app itself (what each browser runs)

It lets the browser tests check the download path (App.deliver_text -> textual-serve ->
/download/KEY -> the page's link click) without depending on when the game writes a record.
"""

from __future__ import annotations

import argparse
import io
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RECORD_TEXT = '{"format": "kengir-record", "test": "delivered through kengir serve"}\n'


def run_app() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Deliver(App[None]):
        BINDINGS = [("d", "deliver", "Deliver")]

        def compose(self) -> ComposeResult:
            yield Static("Press d for the record", id="msg")

        def action_deliver(self) -> None:
            self.deliver_text(io.StringIO(RECORD_TEXT), save_filename="record of a test.json")
            self.query_one("#msg", Static).update("Delivered")

    Deliver().run()


def run_server(argv: list[str]) -> None:
    from game.web.server import KengirServer, ServeConfig

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    parser.add_argument("--saves")
    parser.add_argument("--records")
    args = parser.parse_args(argv)

    class Config(ServeConfig):
        def command(self, folder: Path) -> str:
            return shlex.join([sys.executable, __file__, "--app"])

    config = Config(port=args.port, saves=Path(args.saves), records=Path(args.records))
    KengirServer(config).serve()


if __name__ == "__main__":
    if sys.argv[1:] == ["--app"]:
        run_app()
    else:
        run_server(sys.argv[1:])
