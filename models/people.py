"""Officers (their posts and role grants) and citizens."""
from peewee import BooleanField, CharField, Check, DateTimeField, ForeignKeyField, IntegerField
from werkzeug.security import check_password_hash, generate_password_hash

from .catalogue import Area, Department, Designation, District
from .db import BaseModel, choices
from .timeutil import utcnow

# werkzeug's scrypt: slow on purpose. The test suite swaps in a cheap method
# (tests/conftest.py), as Django's test settings do, to keep a thousand tests quick.
PASSWORD_HASH_METHOD = "scrypt"

LANGUAGES = ("en", "hi")
ROLES = (
    "state_admin",
    "department_admin",
    "district_admin",
    "counter_operator",
    "helpdesk_agent",
    "commission_member",
)


class Officer(BaseModel):
    name = CharField(max_length=150)
    email = CharField(max_length=254, unique=True)
    mobile = CharField(max_length=15, null=True)
    # The employing department: what puts a newly created officer, who holds no
    # post yet, inside his department administrator's scope.
    department = ForeignKeyField(Department, null=True, backref="officers", on_delete="RESTRICT")
    language = CharField(max_length=2, choices=choices(LANGUAGES), default="en")
    active = BooleanField(default=True)
    password_hash = CharField(max_length=255, default="")
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)
    # Every session carries this number (see get_id); raising it ends them all.
    session_version = IntegerField(default=1)
    # The one-time-code (TOTP) secret once enrolled, and the last time step a
    # code was accepted for, so that no code works twice (models/accounts.py).
    totp_secret = CharField(max_length=32, null=True)
    totp_last_step = IntegerField(null=True)
    # Routing passes him by while he is away (models/routing.py).
    on_leave = BooleanField(default=False)
    demo = BooleanField(default=False)  # made by `demo load`, removed by `demo remove`

    class Meta:
        table_name = "officer"

    def __str__(self):
        return f"{self.name} <{self.email}>"

    # The attributes Flask-Login reads, kept free of any Flask import.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        # The session version rides along, so backoffice/auth's loader refuses
        # a session opened before the last password change or deactivation.
        return f"{self.id}:{self.session_version}"

    def save(self, *args, **kwargs):
        # Deactivation ends the sessions at once, and reactivating the officer
        # later does not bring the old ones back.
        if not self.active and "active" in {field.name for field in self.dirty_fields}:
            self.session_version += 1
        return super().save(*args, **kwargs)

    def set_password(self, password):
        """Callers check models.passwords.validate_password first."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        # A new password ends the sessions the old one opened.
        self.session_version += 1

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


class Post(BaseModel):
    """An officer holding a designation in a district or area (or state-wide)."""
    officer = ForeignKeyField(Officer, backref="posts", on_delete="CASCADE")
    designation = ForeignKeyField(Designation, backref="posts", on_delete="RESTRICT")
    district = ForeignKeyField(District, null=True, backref="posts", on_delete="RESTRICT")
    area = ForeignKeyField(Area, null=True, backref="posts", on_delete="RESTRICT")
    additional_charge = BooleanField(default=False)
    # The department's nodal officer for the district: routing's fallback when
    # no officer holds a request's designation there.
    nodal = BooleanField(default=False)

    class Meta:
        table_name = "post"

    def __str__(self):
        place = self.area or self.district or "Haryana"
        return f"{self.designation.name}, {place}"


class RoleGrant(BaseModel):
    """A role over a jurisdiction; the access rules live with the scope issue."""
    officer = ForeignKeyField(Officer, backref="grants", on_delete="CASCADE")
    role = CharField(max_length=32, choices=choices(ROLES))
    department = ForeignKeyField(Department, null=True, backref="+", on_delete="RESTRICT")
    district = ForeignKeyField(District, null=True, backref="+", on_delete="RESTRICT")
    granted_by = ForeignKeyField(Officer, null=True, backref="+", on_delete="SET NULL")
    granted_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "role_grant"

    def __str__(self):
        where = self.department or self.district or "Haryana"
        return f"{self.role} ({where})"


class Citizen(BaseModel):
    name = CharField(max_length=150, default="")
    mobile = CharField(max_length=15, null=True, unique=True)
    email = CharField(max_length=254, null=True, unique=True)
    language = CharField(max_length=2, choices=choices(LANGUAGES), default="hi")
    district = ForeignKeyField(District, null=True, backref="citizens", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    demo = BooleanField(default=False)
    # Erased at his request (models/privacy.py): the row stays for his requests' sake, pseudonymised.
    erased_at = DateTimeField(null=True)

    class Meta:
        table_name = "citizen"
        constraints = [Check("mobile IS NOT NULL OR email IS NOT NULL")]

    def __str__(self):
        return self.name or self.mobile or self.email
