from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyOrDomainRule(BasePermission):
    """Anyone may read. Writing needs a signed-in user (401 otherwise) whom the domain's rules
    (django-rules, the same as the back-office) allow: the view's `add_perm` to create, its
    `change_perm` on the object to change it (403 otherwise)."""

    public_reads = True  # api.v1.schema: reads declare "no credentials needed"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if getattr(view, "action", None) == "create":
            return user.has_perm(view.add_perm)
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.has_perm(view.change_perm, obj)
