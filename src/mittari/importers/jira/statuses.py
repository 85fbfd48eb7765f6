"""Status categories of Jira statuses, learnt from the input: the issues' own
`fields.status.statusCategory` and any `/rest/api/2/status` output given with them."""

from __future__ import annotations

from mittari.importers.jira.values import obj, text


class StatusCategories:
    """statusCategory.key of each status seen, by status id and by (folded) name."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        self.by_name: dict[str, str] = {}

    def learn(self, status: object) -> None:
        found = obj(status)
        category = text(obj(found.get("statusCategory")).get("key"))
        if category is None:
            return
        status_id, name = text(found.get("id")), text(found.get("name"))
        if status_id is not None:
            self.by_id.setdefault(status_id, category.casefold())
        if name is not None:
            self.by_name.setdefault(name.casefold(), category.casefold())

    def of(self, status_id: str | None, name: str | None) -> str | None:
        """The category of a status: by id (changelog items carry it), else by name."""
        if status_id is not None and status_id in self.by_id:
            return self.by_id[status_id]
        return None if name is None else self.by_name.get(name.casefold())
