"""The background worker: sends the outbox and runs the periodic jobs."""
