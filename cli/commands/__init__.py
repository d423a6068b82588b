"""One module per `reportqa` command; each adds its parser in `register(sub, common)`."""
