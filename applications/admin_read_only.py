"""The admin mixin of pages that only show: applications/admin.py (cases, their history and
decisions) and applications/retention_admin.py (the retention runs) share it. A module of its own
because admin.py imports retention_admin to register it, so retention_admin cannot import admin."""


class ReadOnlyAdminMixin:
    """Shown to staff with view permission; nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
