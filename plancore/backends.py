from django.contrib.auth.backends import BaseBackend

from plancore.permissions import is_administrator


class PlanAdministratorBackend(BaseBackend):
    """Plan administrators may do everything in the administration site: every model permission.

    It authenticates nobody; it only answers permission questions from the role.
    """

    def has_perm(self, user_obj, perm, obj=None):
        return bool(user_obj.is_active) and is_administrator(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return bool(user_obj.is_active) and is_administrator(user_obj)
