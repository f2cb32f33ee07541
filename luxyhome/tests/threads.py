"""Running callables at once in threads, each with its own database connection: races on PostgreSQL."""

import threading

from django.db import connection


def at_once(callables) -> list:
    """Run the callables in threads released together; returns what each returned, in order."""
    barrier = threading.Barrier(len(callables))
    answers = [None] * len(callables)

    def run(index, function):
        try:
            barrier.wait(timeout=10)
            answers[index] = function()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return answers
