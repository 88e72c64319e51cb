import pytest
from django.urls import reverse

from creative_regions.core.models import User
from creative_regions.core.services import demo_admin_ensure
from tests.core.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("geo:region-list"))

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/regions/"


def test_login_page_speaks_russian_by_default(client):
    response = client.get(reverse("core:login"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in content
    assert "Войти" in content


def test_language_switch_gives_the_english_interface(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/login/"}, follow=True
    )

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Sign in" in content
    assert "Войти" not in content


def test_wrong_password_gets_a_plain_message(client):
    user = UserFactory()

    response = client.post(
        reverse("core:login"), {"username": user.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()


def test_login_is_locked_after_five_failures_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("core:login"), {"username": user.username, "password": "x"})

    response = client.post(
        reverse("core:login"), {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "Вход заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_correct_login_reaches_the_home_page(client):
    user = UserFactory()

    response = client.post(
        reverse("core:login"),
        {"username": user.username, "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_navigation_shows_only_the_modules_that_exist(client, manager):
    client.force_login(manager)

    content = client.get(reverse("core:home")).content.decode()

    assert 'href="/regions/"' in content
    assert 'href="/regions/map/"' in content
    assert 'href="/classifications/"' in content
    assert 'href="/community/organisations/"' in content
    assert 'href="/programmes/calendar/"' in content
    for missing in (
        "Соглашения",
        "Проекты",
        "Стратегия",
        "Отчёты",
    ):
        assert missing not in content
    # Only staff see the administration link.
    assert 'href="/admin/"' not in content


def test_demo_admin_is_created_once_and_its_password_shown_once():
    user, password = demo_admin_ensure()
    again, second_password = demo_admin_ensure()

    assert user.pk == again.pk
    assert user.role == User.Role.ADMINISTRATOR and user.is_superuser
    assert user.check_password(password)
    assert second_password is None
    assert User.objects.filter(username="admin").count() == 1


def test_logout_needs_a_post(client, manager):
    client.force_login(manager)

    assert client.get(reverse("core:logout")).status_code == 405
    client.post(reverse("core:logout"))
    assert "_auth_user_id" not in client.session


def test_browser_language_does_not_override_russian(client):
    response = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="ru">' in response.content.decode()


def test_a_partner_cannot_also_be_a_superuser():
    from django.core.exceptions import ValidationError

    user = UserFactory(role="partner")
    user.is_superuser = True

    with pytest.raises(ValidationError) as raised:
        user.full_clean()

    assert "role" in raised.value.message_dict


def test_administrator_role_gets_the_admin_site(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "newadmin",
            "password1": "Sl0w-Rivers-Bend",
            "password2": "Sl0w-Rivers-Bend",
            "role": "administrator",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="newadmin").is_staff
