from django.db import migrations


class Migration(migrations.Migration):
    replaces = [('blog', '0000_m'), ('blog', '0001_m'), ('shop', '0000_m')]
    run_before = [('shop', '0001_m')]
    dependencies = [('shop', '__latest__'), ['blog', '0002_m']]
    operations = []
