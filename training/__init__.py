"""Training the reader (needs torch; never imported on the serving path)."""
