"""The Textual terminal game: screens a player lives in, over the engine's public API only."""
