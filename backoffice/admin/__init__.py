"""Flask-Admin screens."""
from flask_admin import Admin, AdminIndexView, expose
from flask_login import current_user
from flask import redirect, request, url_for


class SecureIndexView(AdminIndexView):
    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))


def init_app(app):
    admin = Admin(app, name="Jansahayak", index_view=SecureIndexView())
    return admin
