"""The catalogue as CSV files: checked as a whole, then upserted in one transaction.

catalogue/haryana/ is the bundled catalogue; its README says what each column means.
"""
import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from peewee import CharField, Model

from .catalogue import (
    DEPARTMENT_KINDS, DESIGNATION_LEVELS, SERVICE_STATUSES, Department, Designation, District, Service,
)
from .db import database
from .errors import DomainError
from .timeutil import utcnow

BUNDLED = Path(__file__).resolve().parent.parent / "catalogue" / "haryana"

# In load order: designations name departments, services name both.
KINDS = ("districts", "departments", "designations", "services")
REQUIRED = {
    "districts": ("code", "name_en", "name_hi"),
    "departments": ("code", "name_en", "name_hi"),
    "designations": ("department", "name", "level"),
    "services": ("code", "department", "name_en", "name_hi", "category", "tat", "tat_unit"),
}
OPTIONAL = {
    "districts": ("division", "headquarters"),
    "departments": ("kind",),
    "designations": ("note",),
    "services": ("designated_officer", "first_appellate", "second_appellate", "fee", "description_en",
                 "description_hi", "eligibility_en", "eligibility_hi", "note", "status"),
}
MODELS = {"districts": District, "departments": Department, "designations": Designation, "services": Service}
# Required columns whose cells may be empty: a service without a time limit is a draft.
MAY_BE_EMPTY = {"tat", "tat_unit"}
POSTS = ("designated_officer", "first_appellate", "second_appellate")
MAX_INTEGER = 2**31 - 1  # PostgreSQL's integer column
MAX_FEE = Decimal("99999999.99")  # DecimalField(max_digits=10, decimal_places=2)


@dataclass(frozen=True)
class Problem:
    """Why one line (or, with line None, a whole file or path) cannot be loaded."""
    file: str
    line: int | None  # counted as an editor counts them, the header being line 1
    code: str
    params: dict = field(default_factory=dict)


class CatalogueError(DomainError):
    def __init__(self, problems):
        super().__init__("catalogue_invalid", count=len(problems))
        self.problems = problems


def load(path=None):
    """Upsert the catalogue at `path` (a directory or one CSV file; None: the bundled one).

    Returns {kind: {"created": n, "updated": n, "unchanged": n}} for each kind
    read. Raises CatalogueError listing every problem, having written nothing.
    """
    files = _files(Path(path) if path is not None else BUNDLED)
    with database.atomic():
        plan = _Plan()
        for kind in KINDS:
            if kind in files:
                plan.read(kind, files[kind])
        if plan.problems:
            raise CatalogueError(plan.problems)
        return plan.apply()


def _files(path):
    if path.is_dir():
        files = {kind: path / f"{kind}.csv" for kind in KINDS if (path / f"{kind}.csv").is_file()}
        if not files:
            raise CatalogueError([Problem(str(path), None, "catalogue_no_files")])
        return files
    if not path.is_file():
        raise CatalogueError([Problem(str(path), None, "catalogue_path_missing")])
    if path.suffix != ".csv" or path.stem not in KINDS:
        raise CatalogueError([Problem(path.name, None, "catalogue_file_unknown")])
    return {path.stem: path}


def _records(path, problems):
    """(line, cells) for each non-blank record, or None when the file cannot be read as CSV."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(path.name, raw[:error.start].count(b"\n") + 1, "catalogue_not_utf8"))
        return None
    if "\x00" in text:
        # csv accepts NUL but PostgreSQL refuses it in text, mid-transaction.
        line = text[:text.index("\x00")].count("\n") + 1
        problems.append(Problem(path.name, line, "catalogue_csv_malformed", {"detail": "NUL character"}))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, end = [], 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a record is reported at its first line.
            if any(cell.strip() for cell in cells):
                records.append((end + 1, [cell.strip() for cell in cells]))
            end = reader.line_num
    except csv.Error as error:
        problems.append(Problem(path.name, end + 1, "catalogue_csv_malformed", {"detail": str(error)}))
        return None
    return records


def _raw(value):
    return value.id if isinstance(value, Model) else value


class _Plan:
    """What a load would write, built against the database as it is now."""

    def __init__(self):
        self.problems = []
        self.changes = {}  # kind: [(instance, {field: value})]
        self.districts = {d.code: d for d in District.select()}
        self.departments = {d.code: d for d in Department.select()}
        self.designations = {(d.department.code, d.name): d
                             for d in Designation.select(Designation, Department).join(Department)}
        self.services = {s.code: s for s in Service.select()}

    def read(self, kind, path):
        name = path.name
        records = _records(path, self.problems)
        if not records:
            if records is not None:
                self.problems.append(Problem(name, 1, "catalogue_file_empty"))
            return
        (header_line, header), rows = records[0], records[1:]
        if self._header_problems(kind, name, header_line, header):
            return  # a row cannot be read against a wrong header
        self.changes[kind] = []
        first_lines = {}
        for line, cells in rows:
            if len(cells) != len(header):
                self.problems.append(Problem(name, line, "catalogue_row_width",
                                             {"expected": len(header), "found": len(cells)}))
                continue
            row = dict(zip(header, cells))
            problems = self._cell_problems(kind, row)
            key = (row["department"], row["name"]) if kind == "designations" else (row["code"],)
            if key in first_lines:
                problems.append(("catalogue_duplicate", {"first_line": first_lines[key]}))
            elif all(key):
                first_lines[key] = line
            change = getattr(self, f"_{kind}")(row, problems)
            if problems:
                self.problems.extend(Problem(name, line, code, params) for code, params in problems)
            else:
                self.changes[kind].append(change)

    def _header_problems(self, kind, name, line, header):
        known = REQUIRED[kind] + OPTIONAL[kind]
        found = [("catalogue_column_unknown", c) for c in header if c not in known]
        found += [("catalogue_column_duplicate", c) for c in dict.fromkeys(header) if header.count(c) > 1]
        found += [("catalogue_column_missing", c) for c in REQUIRED[kind] if c not in header]
        self.problems.extend(Problem(name, line, code, {"column": column}) for code, column in found)
        return bool(found)

    def _cell_problems(self, kind, row):
        problems = []
        fields = MODELS[kind]._meta.fields
        for column, value in row.items():
            if not value and column in REQUIRED[kind] and column not in MAY_BE_EMPTY:
                problems.append(("catalogue_value_missing", {"column": column}))
            # Columns with choices are checked against them instead.
            f = fields.get(column)
            if isinstance(f, CharField) and not f.choices and len(value) > f.max_length:
                problems.append(("catalogue_value_too_long", {"column": column, "max": f.max_length}))
        return problems

    # Each of these returns (instance, values) for a row, appending to `problems`
    # what is wrong with it. A row is registered under its key even when it is
    # wrong, so that the rows naming it are not reported as well.

    def _districts(self, row, problems):
        return self.districts.setdefault(row["code"], District()), row

    def _departments(self, row, problems):
        if "kind" in row and row["kind"] not in DEPARTMENT_KINDS:
            problems.append(("catalogue_department_kind_unknown", {"kind": row["kind"]}))
        return self.departments.setdefault(row["code"], Department()), row

    def _designations(self, row, problems):
        department = self._department(row, problems)
        if row["level"] not in DESIGNATION_LEVELS:
            problems.append(("catalogue_designation_level_unknown", {"level": row["level"]}))
        designation = self.designations.setdefault((row["department"], row["name"]), Designation())
        return designation, {**row, "department": department}

    def _services(self, row, problems):
        values = {c: v for c, v in row.items() if c not in ("tat", "fee", *POSTS)}
        values["department"] = self._department(row, problems)
        values["tat_value"] = self._time_limit(row["tat"], problems)
        values["tat_unit"] = row["tat_unit"] or None
        for column in POSTS:
            if column in row:
                values[column] = self._post(row["department"], row[column], problems) if row[column] else None
        if "fee" in row:
            values["fee"] = self._fee(row["fee"], problems)
        existing = self.services.get(row["code"])
        if existing is not None and not row["tat"] and not row["tat_unit"]:
            # An empty time limit means no public source gave one: it never clears
            # the limit an admin has since set from the notification.
            del values["tat_value"], values["tat_unit"]
        if existing is None and "status" not in row:
            # The notified services are offered at once; the rest wait for an admin.
            values["status"] = "published" if values["tat_value"] else "draft"
        status = values.get("status", existing and existing.status)
        if status not in SERVICE_STATUSES:
            problems.append(("catalogue_status_unknown", {"status": status}))
        elif values.get("tat_value") is not None or not row["tat"]:  # else the unreadable time limit is reported
            try:
                Service(code=row["code"], tat_value=values.get("tat_value", existing and existing.tat_value),
                        tat_unit=values.get("tat_unit", existing and existing.tat_unit), status=status).validate()
            except DomainError as error:
                problems.append((error.code, error.params))
        return existing or Service(), values

    def _department(self, row, problems):
        department = self.departments.get(row["department"])
        if department is None and row["department"]:
            problems.append(("catalogue_department_unknown", {"department": row["department"]}))
        return department

    def _post(self, department_code, name, problems):
        """A designation by name: the service's own department's first, then the only other one."""
        own = self.designations.get((department_code, name))
        if own is not None:
            return own
        others = sorted(code for code, post in self.designations if post == name)
        if len(others) == 1:
            return self.designations[(others[0], name)]
        if others:
            problems.append(("catalogue_designation_ambiguous",
                             {"post": name, "departments": ", ".join(others)}))
        else:
            problems.append(("catalogue_designation_unknown", {"post": name, "department": department_code}))
        return None

    @staticmethod
    def _time_limit(value, problems):
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            problems.append(("catalogue_time_limit_not_integer", {"value": value}))
            return None
        if number > MAX_INTEGER:
            problems.append(("catalogue_time_limit_too_large", {"value": value}))
            return None
        return number

    @staticmethod
    def _fee(value, problems):
        if not value:
            return Decimal(0)
        try:
            fee = Decimal(value)
        except InvalidOperation:
            fee = None
        whole_paise = fee is not None and fee.is_finite() and 0 <= fee <= MAX_FEE and fee == round(fee, 2)
        if not whole_paise:
            problems.append(("catalogue_fee_invalid", {"value": value}))
        return fee

    def apply(self):
        report = {}
        for kind, changes in self.changes.items():
            counts = report[kind] = {"created": 0, "updated": 0, "unchanged": 0}
            for instance, values in changes:
                counts[_save(instance, values)] += 1
        return report


def _save(instance, values):
    """Write only what differs, so that loading the same file again changes nothing."""
    if instance.id is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        return "created"
    changed = [name for name, value in values.items() if instance.__data__.get(name) != _raw(value)]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    if isinstance(instance, Service):
        instance.updated_at = utcnow()
        changed.append("updated_at")
    instance.save(only=changed)
    return "updated"
