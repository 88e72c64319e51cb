from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Both are case-sensitive; after five failed "
            "attempts the account is locked for 15 minutes."
        ),
        "inactive": _("This account is switched off. Ask an administrator."),
    }
