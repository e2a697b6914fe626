"""Load the plan and its partners from the files in fixtures/plan/, as the documents state them.

Loading is idempotent: an object that already matches its fixture is not saved again, so a second
run changes nothing and writes no history. Objects loaded for the first time get their first
history row dated at the plan's signing, so that reports as of any later date see the plan as it
stood. A later correction to a fixture is saved as a change dated now.

The content is loaded in English, the signed text, and in Spanish: the official Spanish names of
the institutions, the UN's names of the goals (in the fixtures' `*_es` keys) and an unofficial
translation of the plan's text (jsap-2023-2027.es.json). English is active while loading, so the
plain field names (`title`) write the English columns.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.db import transaction
from django.utils import translation

from actions import figures
from actions.models import Action, Responsibility
from actions.search import index_for_search
from partners.models import Agreement, AgreementExtension, Country, Institution, Side
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal

LOADED_REASON = "Loaded from the signed plan"
CORRECTED_REASON = "Corrected from the plan's source documents"


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    linked: Counter = field(default_factory=Counter)
    plan: Plan | None = None

    def summary(self):
        names = sorted(set(self.created) | set(self.updated))
        if not names and not self.linked:
            return "The plan is already loaded; nothing changed."
        lines = [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated" for name in names
        ]
        lines += [f"{name}: set on {count}" for name, count in sorted(self.linked.items())]
        return "\n".join(lines)


def parse_partial_date(value):
    """'2013' → (2013-01-01, year); '2016-04' → (2016-04-01, month); full dates → day."""
    if not value:
        return None, Agreement.Precision.DAY
    parts = [int(p) for p in value.split("-")]
    precision = {1: Agreement.Precision.YEAR, 2: Agreement.Precision.MONTH}.get(
        len(parts), Agreement.Precision.DAY
    )
    return date(*(parts + [1] * (3 - len(parts)))), precision


def read_fixture(directory, name):
    with open(directory / name, encoding="utf-8") as handle:
        return json.load(handle)


class _Loader:
    def __init__(self, directory):
        self.directory = directory
        self.result = LoadResult()
        self.signed_at = None

    def sync(self, model, lookup, values, initial=None):
        """Create or correct one object; return it. Unchanged objects are not saved.

        `initial` values are set only on creation: the portal's users own them afterwards.
        """
        obj = model.objects.filter(**lookup).first()
        label = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**lookup, **values, **(initial or {}))
            self._save(obj, created=True)
            self.result.created[label] += 1
            return obj
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(obj, key, value)
            if isinstance(obj, Action):
                obj.version += 1
            self._save(obj, created=False)
            self.result.updated[label] += 1
        return obj

    def _save(self, obj, *, created):
        obj.full_clean()
        if hasattr(type(obj), "history"):
            obj._history_user = None
            obj._change_reason = LOADED_REASON if created else CORRECTED_REASON
            if created:
                obj._history_date = self.signed_at
        obj.save()

    def sync_m2m(self, manager, objects, label):
        wanted = {o.pk for o in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.result.linked[label] += 1

    def load(self):
        plan_data = read_fixture(self.directory, "jsap-2023-2027.json")
        spanish = read_fixture(self.directory, "jsap-2023-2027.es.json")
        meta = plan_data["plan"]
        self.signed_at = datetime.combine(date.fromisoformat(meta["signed_on"]), time(12), UTC)

        countries = {
            c["code"]: self.sync(
                Country, {"code": c["code"]}, {k: v for k, v in c.items() if k != "code"}
            )
            for c in read_fixture(self.directory, "countries.json")
        }
        sdgs = {
            s["number"]: self.sync(
                SustainableDevelopmentGoal,
                {"number": s["number"]},
                {
                    "name": s["name"],
                    "title": s["title"],
                    "name_es": s["name_es"],
                    "title_es": s["title_es"],
                },
            )
            for s in read_fixture(self.directory, "sdgs.json")
        }
        institutions = {}
        for item in read_fixture(self.directory, "institutions.json"):
            institutions[item["code"]] = self.sync(
                Institution,
                {"code": item["code"]},
                {
                    "acronym": item["acronym"],
                    "name": item["name"],
                    "name_es": item.get("name_es", ""),
                    "country": countries[item["country"]] if item["country"] else None,
                    "kind": item["kind"],
                    "parent": institutions[item["parent"]] if item["parent"] else None,
                },
            )

        plan = self.sync(
            Plan,
            {"slug": meta["slug"]},
            {
                "title": meta["title"],
                "signed_on": date.fromisoformat(meta["signed_on"]),
                "signed_at": meta["signed_at"],
                "signatories": [
                    {**s, "position_es": spanish["plan"]["signatory_positions"][s["country"]]}
                    for s in meta["signatories"]
                ],
                "period_start": date.fromisoformat(meta["period_start"]),
                "period_end": date.fromisoformat(meta["period_end"]),
                "preamble": meta["preamble"],
                "title_es": spanish["plan"]["title"],
                "signed_at_es": spanish["plan"]["signed_at"],
                "preamble_es": spanish["plan"]["preamble"],
            },
        )
        self.sync_m2m(plan.parties, [countries[c] for c in meta["parties"]], "plan parties")
        self.result.plan = plan

        agreements = self._load_agreements(institutions)
        for chapter_data in plan_data["chapters"]:
            chapter_es = spanish["chapters"].get(str(chapter_data["number"]), {})
            chapter = self.sync(
                Chapter,
                {"plan": plan, "number": chapter_data["number"]},
                {
                    "title": chapter_data["title"],
                    "background": chapter_data["background"],
                    "title_es": chapter_es.get("title", ""),
                    "background_es": chapter_es.get("background", ""),
                },
            )
            for position, action_data in enumerate(chapter_data["actions"], start=1):
                action_es = spanish["actions"].get(action_data["number"], {})
                action_data = {
                    **action_data,
                    "short_title_es": action_es.get("short_title", ""),
                    "text_es": action_es.get("text", ""),
                }
                self._load_action(chapter, position, action_data, sdgs, agreements, institutions)
        return self.result

    def _load_agreements(self, institutions):
        agreements = {}
        for item in read_fixture(self.directory, "agreements.json"):
            signed_on, precision = parse_partial_date(item["signed_on"])
            agreement = self.sync(
                Agreement,
                {"code": item["code"]},
                {
                    "title": item["title"],
                    "kind": item["kind"],
                    "signed_on": signed_on,
                    "signed_on_precision": precision,
                    "signed_at": item["signed_at"],
                    "parent": agreements[item["parent"]][0] if item["parent"] else None,
                    "description": item["description"],
                    "title_es": item.get("title_es", ""),
                    "description_es": item.get("description_es", ""),
                    "objectives": item["objectives"],
                    "commitments": item["commitments"],
                },
            )
            self.sync_m2m(
                agreement.parties, [institutions[c] for c in item["parties"]], "agreement parties"
            )
            for extension in item["extensions"]:
                extended_on, ext_precision = parse_partial_date(extension["on"])
                self.sync(
                    AgreementExtension,
                    {"agreement": agreement, "extended_on": extended_on},
                    {"extended_on_precision": ext_precision, "note": extension["note"]},
                )
            agreements[item["code"]] = (agreement, item["actions"])
        return agreements

    def _load_action(self, chapter, position, data, sdgs, agreements, institutions):
        number = f"{chapter.number}.{position}"
        if data["number"] != number:
            raise ValueError(f"Action {data['number']} is listed at position {number}")
        values = {
            "position": position,
            "short_title": data["short_title"],
            "text": data["text"],
            "short_title_es": data["short_title_es"],
            "text_es": data["text_es"],
        }
        plan = chapter.plan
        action = self.sync(
            Action,
            {"chapter": chapter, "number": number},
            values,
            initial={"start_date": plan.period_start, "target_date": plan.period_end},
        )
        self.sync_m2m(action.sdgs, [sdgs[n] for n in data["sdgs"]], "action SDGs")
        linked = [a for a, numbers in agreements.values() if number in numbers]
        self.sync_m2m(action.agreements, linked, "action agreements")

        # Partners first, so that moving the lead role never holds two leads on one side.
        ordered = sorted(data["responsibilities"], key=lambda r: r["role"] == "lead")
        for item in ordered:
            institution = institutions[item["institution"]]
            if item["role"] == Responsibility.Role.LEAD:
                self._step_down_other_leads(action, institution)
            self.sync(
                Responsibility,
                {"action": action, "institution": institution},
                {"side": institution.side, "role": item["role"]},
            )

    def _step_down_other_leads(self, action, institution):
        for other in action.responsibilities.filter(
            side=institution.side, role=Responsibility.Role.LEAD
        ).exclude(institution=institution):
            other.role = Responsibility.Role.PARTNER
            self._save(other, created=False)
            self.result.updated[Responsibility._meta.verbose_name_plural] += 1


@transaction.atomic
def load_plan(directory):
    """Load or correct the plan from the fixture files in `directory`; return what changed."""
    with translation.override("en"):
        result = _Loader(directory).load()
    _check_every_action_has_both_leads(result.plan)
    index_for_search(Action.objects.in_plan(result.plan))
    figures.invalidate()
    return result


def _check_every_action_has_both_leads(plan):
    for action in Action.objects.in_plan(plan).for_list():
        for side in (Side.DK, Side.MX):
            if action.lead_on(side) is None:
                raise ValueError(f"Action {action.number} has no lead on the {side} side")
