"""The writers' tools: check, the play-tester and explorer (playtest/), the story map, the JSON
Schema and new scenes. `kengir check|test|graph|schema|new` (game/cli.py) hands over to them."""
