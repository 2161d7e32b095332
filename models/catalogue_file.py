"""The catalogue from files: checked as a whole, then upserted in one transaction.

CSV files (catalogue/haryana/ is the bundled catalogue; its README says what
each column means), or one JSON file that also gives services their forms
and the places they are offered in (catalogue_json.py, docs/service-forms.md).
preview() tells what a load would create, change and retire, writing nothing.
"""
import csv
import io
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from peewee import CharField, Model

from . import catalogue_json, form_fields, forms
from .catalogue import (
    DEPARTMENT_KINDS, DESIGNATION_LEVELS, SERVICE_STATUSES, Area, Department, Designation, District, Service,
    MAX_FEE, fee_allowed,
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


# A file sent to the admin's import, in place of a path: one CSV file or a JSON catalogue.
Upload = namedtuple("Upload", "name content")
# What a load does to one row: action is "create", "change" (fields: the names that change) or "retire".
Change = namedtuple("Change", "kind key action fields")


def load(path=None, *, retire_missing=False, progress=None):
    """Upsert the catalogue at `path` (a directory of CSV files, one CSV or JSON file, or an Upload;
    None: the bundled one).

    Returns {kind: {"created": n, "updated": n, "unchanged": n}} for each kind
    read; with `retire_missing`, services the files do not name are retired
    and counted under services' "retired". Raises CatalogueError listing every
    problem, having written nothing. `progress(rows written, rows in all)` follows the writing; interrupted
    (Ctrl-C), the transaction is rolled back and nothing is written.
    """
    with database.atomic():
        return _plan(path, retire_missing).apply(progress)


def preview(path=None, *, retire_missing=False):
    """The Changes load() would make, in the order it would make them; writes nothing.

    Raises CatalogueError as load() does.
    """
    return _plan(path, retire_missing).changes()


def _plan(path, retire_missing):
    plan = _Plan()
    path = path if isinstance(path, Upload) else Path(path) if path is not None else BUNDLED
    sources = _sources(path)
    sections = []  # (kind, file name, [(line, row)])
    for name, kind, raw in sources:
        sections += plan.read_json(name, raw) if kind == "json" else plan.read_csv(kind, name, raw)
    for kind, name, rows in sorted(sections, key=lambda section: KINDS.index(section[0])):
        plan.read(kind, name, rows)
    if retire_missing:
        plan.retire_missing(path.name if isinstance(path, Upload) else str(path))
    if plan.problems:
        # File by file as they were read, each from its top: a JSON file's checks come in several passes.
        files = {}
        for problem in plan.problems:
            files.setdefault(problem.file, len(files))
        raise CatalogueError(sorted(plan.problems, key=lambda p: (files[p.file], p.line or 0)))
    return plan


def _sources(path):
    """[(file name, kind or "json", bytes)] of the files at `path`."""
    if isinstance(path, Upload):
        return [(path.name, _kind(path.name), path.content)]
    if path.is_dir():
        files = [path / f"{kind}.csv" for kind in KINDS if (path / f"{kind}.csv").is_file()]
        if not files:
            raise CatalogueError([Problem(str(path), None, "catalogue_no_files")])
        return [(f.name, f.stem, f.read_bytes()) for f in files]
    if not path.is_file():
        raise CatalogueError([Problem(str(path), None, "catalogue_path_missing")])
    return [(path.name, _kind(path.name), path.read_bytes())]


def _kind(name):
    stem, _, suffix = Path(name).name.rpartition(".")
    if suffix == "json":
        return "json"
    if suffix != "csv" or stem not in KINDS:
        raise CatalogueError([Problem(Path(name).name, None, "catalogue_file_unknown")])
    return stem


def _records(name, raw, problems):
    """(line, cells) for each non-blank record, or None when the file cannot be read as CSV."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(name, raw[:error.start].count(b"\n") + 1, "catalogue_not_utf8"))
        return None
    if "\x00" in text:
        # csv accepts NUL but PostgreSQL refuses it in text, mid-transaction.
        line = text[:text.index("\x00")].count("\n") + 1
        problems.append(Problem(name, line, "catalogue_csv_malformed", {"detail": "NUL character"}))
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
        problems.append(Problem(name, end + 1, "catalogue_csv_malformed", {"detail": str(error)}))
        return None
    return records


class _Plan:
    """What a load would write, built against the database as it is now."""

    def __init__(self):
        self.problems = []
        self.writes = {}  # kind: [(instance, {field: value})]
        self.districts = {d.code: d for d in District.select()}
        self.departments = {d.code: d for d in Department.select()}
        self.designations = {(d.department.code, d.name): d
                             for d in Designation.select(Designation, Department).join(Department)}
        self.services = {s.code: s for s in Service.select()}
        self.areas = {(a.district.code, a.code): a for a in Area.select(Area, District).join(District)}
        # From a JSON file: services' forms (canonical) and places ({(district, area code): (District, Area)}).
        self.forms, self.places = {}, {}
        self.lines = {}  # id(JSON object): its line
        self.named = None  # the codes of the services read, when they were
        self.retiring = None

    def read_csv(self, kind, name, raw):
        """[(kind, name, [(line, row)])] of a CSV file, its unreadable rows among the problems."""
        records = _records(name, raw, self.problems)
        if not records:
            if records is not None:
                self.problems.append(Problem(name, 1, "catalogue_file_empty"))
            return []
        (header_line, header), rows = records[0], records[1:]
        if self._header_problems(name, header_line, kind, header):
            return []  # a row cannot be read against a wrong header
        readable = []
        for line, cells in rows:
            if len(cells) != len(header):
                self.problems.append(Problem(name, line, "catalogue_row_width",
                                             {"expected": len(header), "found": len(cells)}))
            else:
                readable.append((line, dict(zip(header, cells))))
        return [(kind, name, readable)]

    def read_json(self, name, raw):
        """[(kind, name, [(line, row)])] of a JSON catalogue, each list of it a kind."""
        def problem(line, code, params):
            self.problems.append(Problem(name, line, code, params))

        document, self.lines = catalogue_json.read(raw, problem)
        sections = []
        for kind, entries in (document or {}).items():
            if kind not in KINDS:
                problem(self.lines[id(document)], "catalogue_section_unknown", {"section": kind})
            elif not isinstance(entries, list):
                problem(self.lines[id(document)], "catalogue_section_not_list", {"section": kind})
            else:
                sections.append((kind, name, self._json_rows(name, kind, entries, problem)))
        return sections

    def _json_rows(self, name, kind, entries, problem):
        extras = catalogue_json.SERVICE_EXTRAS if kind == "services" else ()
        rows = []
        for entry in entries:
            if not isinstance(entry, dict):
                problem(self.lines[id(entries)], "catalogue_entry_not_object", {"section": kind})
                continue
            line = self.lines[id(entry)]
            if not self._header_problems(name, line, kind, [key for key in entry if key not in extras]):
                row = catalogue_json.cells(kind, entry, line, problem)
                if row is not None:
                    rows.append((line, row))
        return rows

    def read(self, kind, name, rows):
        self.writes.setdefault(kind, [])
        first_lines = {}
        for line, row in rows:
            extras = {key: row.pop(key) for key in catalogue_json.SERVICE_EXTRAS if key in row}
            problems = self._cell_problems(kind, row)
            key = (row["department"], row["name"]) if kind == "designations" else (row["code"],)
            if key in first_lines:
                problems.append(("catalogue_duplicate", {"first_line": first_lines[key]}))
            elif all(key):
                first_lines[key] = line
            change = getattr(self, f"_{kind}")(row, problems)
            if "form" in extras:
                self._form(name, line, row["code"], extras["form"])
            if "offered_in" in extras:
                self._places(name, line, row["code"], extras["offered_in"])
            if problems:
                self.problems.extend(Problem(name, line, code, params) for code, params in problems)
            else:
                self.writes[kind].append(change)
        if kind == "services":
            self.named = (self.named or set()) | {code for code, in first_lines}

    def _header_problems(self, name, line, kind, header):
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
        return number

    @staticmethod
    def _fee(value, problems):
        if not value:
            return Decimal(0)
        try:
            fee = Decimal(value)
        except InvalidOperation:
            fee = None
        if fee is None or not fee_allowed(fee):
            problems.append(("catalogue_fee_invalid", {"value": value, "max": MAX_FEE}))
        return fee

    def _form(self, name, line, code, fields):
        problems = form_fields.check_definition(fields)
        for problem in problems:
            at = fields[problem.index] if problem.index is not None else None
            self.problems.append(Problem(name, self.lines.get(id(at), line), problem.code, problem.params))
        if not problems:
            self.forms[code] = form_fields.canonical(fields)

    def _places(self, name, line, service_code, value):
        """A service's "offered_in" as {(district code, area code or None): (District, Area or None)}."""
        def problem(at, code, params):
            self.problems.append(Problem(name, self.lines.get(id(at), line), code, params))

        if value == catalogue_json.STATE:
            self.places[service_code] = {}
            return
        if not isinstance(value, list) or not value:
            problem(value, "catalogue_offered_in_invalid", {})
            return
        chosen = {}
        for place in value:
            whole = isinstance(place, dict) and set(place) <= {"district", "area"} and all(
                isinstance(v, str) for v in place.values())
            if not whole or not place.get("district"):
                problem(place if isinstance(place, dict) else value, "catalogue_offered_in_invalid", {})
                continue
            district, area = self.districts.get(place["district"]), place.get("area") or None
            if district is None:
                problem(place, "catalogue_district_unknown", {"district": place["district"]})
            elif area is not None and (place["district"], area) not in self.areas:
                problem(place, "catalogue_area_unknown", {"area": area, "district": place["district"]})
            else:
                chosen[place["district"], area] = (district, self.areas.get((place["district"], area)))
        self.places[service_code] = chosen

    def retire_missing(self, name):
        if self.named is None:
            # Without services in the files every service would be retired.
            self.problems.append(Problem(name, None, "catalogue_retire_needs_services"))
            return
        self.retiring = [service for code, service in sorted(self.services.items())
                         if code not in self.named and service.status != "retired"]

    def _differences(self, kind, instance, values):
        """The names of what a row would change: its columns, and a service's form and places."""
        if instance.id is None:
            changed = list(values)
        else:
            changed = [name for name, value in values.items() if instance.__data__.get(name) != _raw(value)]
        if kind == "services":
            code = values["code"]
            if code in self.forms:
                current = forms.current_version(instance) if instance.id is not None else None
                if current is None or current.fields != self.forms[code]:
                    changed.append("form")
            if code in self.places:
                offered = set()
                if instance.id is not None:
                    offered = {(p.district.code, p.area and p.area.code) for p in forms.places(instance)}
                if offered != set(self.places[code]):
                    changed.append("offered_in")
        return changed

    def changes(self):
        found = []
        for kind, rows in self.writes.items():
            for instance, values in rows:
                changed = self._differences(kind, instance, values)
                key = f"{values['department'].code}: {values['name']}" if kind == "designations" else values["code"]
                if instance.id is None:
                    found.append(Change(kind, key, "create", ()))
                elif changed:
                    found.append(Change(kind, key, "change", tuple(changed)))
        found += [Change("services", s.code, "retire", ("status",)) for s in self.retiring or ()]
        return found

    def apply(self, progress=None):
        report = {}
        total, done = sum(len(rows) for rows in self.writes.values()), 0
        for kind, rows in self.writes.items():
            counts = report[kind] = {"created": 0, "updated": 0, "unchanged": 0}
            for instance, values in rows:
                counts[self._save(kind, instance, values)] += 1
                done += 1
                if progress:
                    progress(done, total)
        if self.retiring is not None:
            now = utcnow()
            for service in self.retiring:
                service.status, service.updated_at = "retired", now
                service.save(only=["status", "updated_at"])
            report.setdefault("services", {"created": 0, "updated": 0, "unchanged": 0})["retired"] = len(
                self.retiring)
        return report

    def _save(self, kind, instance, values):
        """Write only what differs, so that loading the same file again changes nothing."""
        changed = self._differences(kind, instance, values)
        created = instance.id is None
        if not changed:
            return "unchanged"
        columns = [name for name in changed if name in values]
        for name in columns:
            setattr(instance, name, values[name])
        if isinstance(instance, Service) and not created:
            instance.updated_at = utcnow()
            columns.append("updated_at")
        instance.save(**({} if created else {"only": columns}))
        if "form" in changed:
            forms.save_form(instance, self.forms[values["code"]])
        if "offered_in" in changed:
            forms.set_places(instance, self.places[values["code"]].values())
        return "created" if created else "updated"


def _raw(value):
    return value.id if isinstance(value, Model) else value
