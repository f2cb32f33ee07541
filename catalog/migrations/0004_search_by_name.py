"""Once: searches ordered by name through a RUM index (PostgreSQL's rum extension, made mandatory).

It added a name_position column kept in (name, id) order by triggers, a (name, id) index for them
and the RUM index over search_vector and name_position. Many hosted PostgreSQL services offer no
rum, and the trigger serialised every product insert and rename, so it now does nothing: a fresh
database never gets them, and 0006 drops them where this migration once ran.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_words")]

    operations = []
