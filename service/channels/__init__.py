"""Chat front doors. `base` is what they share (exactly-once answers), `ledger` and `claims` keep
each message answered once within a worker and across workers, `replies` holds the texts and fits
them to a size limit. Each channel is a folder with a `router`."""
