"""What every front end shares to set up a session, with no user interface: where the story,
saves, records and caches are (paths), loading the story or saying why not (story), a
command line's --set values and assignment (options), text as people read it (texts), and
output that any terminal or pipe can carry (console). Modules are imported one by one (the
terminal game paints its title before most of them are needed)."""
