"""Django's flush, with the maintenance switch on: decided ratings and final reports are locked
by database triggers (core.db_guard), and emptying the database is a database owner's act."""
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from core.db_guard import maintenance


class Command(FlushCommand):
    def handle(self, **options):
        with maintenance(connections[options["database"]]):
            return super().handle(**options)
