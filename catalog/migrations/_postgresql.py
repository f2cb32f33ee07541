"""What the catalog's migrations share (the leading underscore keeps Django from taking it for one)."""


def run_on_postgresql(statements):
    """A RunPython function that executes `statements` on PostgreSQL and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
