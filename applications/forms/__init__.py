"""Forms of the applications app: they validate and shape input; the services persist it."""
