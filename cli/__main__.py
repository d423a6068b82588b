"""`python -m cli …` runs `reportqa …`."""

from cli.main import entry

entry()
