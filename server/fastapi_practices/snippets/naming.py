"""Names that fit the place: `posts` gives `post`, `Post`, `PostResponse`, `valid_post_id`."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

_DOMAIN_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "data": "data",
    "news": "news",
    "series": "series",
    "status": "status",
    "address": "address",
    "analysis": "analysis",
}
_SIBILANT_ES = ("sses", "shes", "ches", "xes", "zes")


def singular(word: str) -> str:
    """A plain English singular of a lower-case plural (`categories` → `category`)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(_SIBILANT_ES):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 1:
        return word[:-1]
    return word


def pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def is_domain_name(name: str) -> bool:
    """A lower_snake_case identifier usable as a package and in every derived name."""
    return bool(_DOMAIN_NAME.match(name)) and not keyword.iskeyword(name)


@dataclass(frozen=True)
class Names:
    """Every spelling the catalog derives from one domain."""

    domain: str  # posts
    entity: str  # post

    @classmethod
    def for_domain(cls, domain: str | None) -> Names:
        if domain is None or not is_domain_name(domain):
            return GENERIC
        entity = singular(domain)
        if not entity.isidentifier() or keyword.iskeyword(entity):
            entity = domain
        return cls(domain, entity)

    @property
    def entity_class(self) -> str:  # Post
        return pascal(self.entity)

    @property
    def domain_class(self) -> str:  # Posts
        return pascal(self.domain)

    @property
    def prefix(self) -> str:  # /posts (URLs use hyphens)
        return "/" + self.domain.replace("_", "-")

    @property
    def entity_words(self) -> str:  # post, blog post
        return self.entity.replace("_", " ")

    @property
    def entity_title(self) -> str:  # Post, Blog post
        words = self.entity_words
        return words[:1].upper() + words[1:]

    def substitutions(self) -> dict[str, str]:
        """What each `«key»` of a catalog template becomes."""
        return {
            "domain": self.domain,
            "entity": self.entity,
            "Entity": self.entity_class,
            "Domain": self.domain_class,
            "DOMAIN": self.domain.upper(),
            "ENTITY": self.entity.upper(),
            "prefix": self.prefix,
            "entity_words": self.entity_words,
            "Entity_words": self.entity_title,
        }


GENERIC = Names("items", "item")
