"""The `reportqa` command line: index, ask, chat, search, serve, eval."""
