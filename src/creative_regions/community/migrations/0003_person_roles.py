"""The roles people play, as the agency names them; staff may add more later."""

from django.db import migrations

ROLES = [
    ("entrepreneur", "Предприниматель", "Entrepreneur"),
    ("official", "Представитель власти", "Official"),
    ("expert", "Эксперт", "Expert"),
    ("mentor", "Наставник", "Mentor"),
    ("designer", "Дизайнер", "Designer"),
    ("artist", "Художник", "Artist"),
    ("space_manager", "Управляющий креативным пространством", "Space manager"),
    ("producer", "Продюсер", "Producer"),
    ("educator", "Преподаватель", "Educator"),
    ("researcher", "Исследователь", "Researcher"),
    ("journalist", "Журналист", "Journalist"),
]


def add_roles(apps, schema_editor):
    PersonRole = apps.get_model("community", "PersonRole")
    for code, name_ru, name_en in ROLES:
        PersonRole.objects.get_or_create(
            code=code, defaults={"name_ru": name_ru, "name_en": name_en}
        )


def remove_roles(apps, schema_editor):
    PersonRole = apps.get_model("community", "PersonRole")
    PersonRole.objects.filter(code__in=[code for code, *_ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0002_search_indexes")]

    operations = [migrations.RunPython(add_roles, remove_roles)]
