"""Reads the reference material: notes, sources, glossary terms, people, timeline events."""

from __future__ import annotations

from collections.abc import Mapping

from game.format.fields import Fields, check_date
from game.format.gather import Entry
from game.format.readers.reader_base import ReaderBase
from game.format.yaml_data import empty_map
from game.model import NOTE_KINDS, PERSON_KINDS, RELIABILITY, Event, Note, Person, Pos, Source, Story, Term, did_you_mean


class ReferenceReader(ReaderBase):
    def sources_of(self, f: Fields, needed: tuple[Pos, str, str] | None = None) -> tuple[str, ...]:
        """The source ids of an entry. `needed`, (where, code, what) for an entry that must cite
        one: no `sources:`, or an empty list, is one error (not a missing key and then an empty list)."""
        refs = f.ids("sources")
        self.pending.extend(("sources", ref, pos) for ref, pos in refs)
        if needed and f.m.get("sources") in (None, []):
            pos, code, what = needed
            self.problems.error(pos, code, f"{what} cites no source", "add `sources: [id]`, naming a work defined under `sources:`")
        return tuple(ref for ref, _ in refs)

    def kind_of(self, f: Fields, allowed: tuple[str, ...], what: str) -> str:
        kind = f.text("kind")
        if kind and kind not in allowed:
            self.problems.error(
                f.pos("kind"), "bad-kind", f"the kind of {what} is '{kind}'", did_you_mean(kind, allowed) or f"kinds: {', '.join(allowed)}"
            )
        return kind

    def build_note(self, e: Entry) -> Note:
        what = f"note '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("title", "kind", "body"), ("sources", "topic"))
        sources = self.sources_of(f, (e.pos, "note-without-source", what))
        return Note(e.id, f.text("title"), self.kind_of(f, NOTE_KINDS, what), f.text("body"), sources, f.text("topic"), e.pos)

    def build_source(self, e: Entry) -> Source:
        what = f"source '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("title",), ("author", "year", "published", "reliability", "url"))
        reliability = f.text("reliability")
        if reliability and reliability not in RELIABILITY:
            self.problems.error(
                f.pos("reliability"),
                "bad-kind",
                f"the reliability of {what} is '{reliability}'",
                did_you_mean(reliability, RELIABILITY) or f"one of: {', '.join(RELIABILITY)}",
            )
        return Source(e.id, f.text("title"), f.text("author"), f.text("year"), f.text("published"), reliability, f.text("url"), e.pos)

    def build_term(self, e: Entry) -> Term:
        what = f"term '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("term", "definition"), ("sources",))
        return Term(e.id, f.text("term"), f.text("definition"), self.sources_of(f), e.pos)

    def build_person(self, e: Entry) -> Person:
        what = f"person '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("name", "kind"), ("role", "bio", "sources"))
        return Person(e.id, f.text("name"), self.kind_of(f, PERSON_KINDS, what), f.text("role"), f.text("bio"), self.sources_of(f), e.pos)

    def build_event(self, e: Entry) -> Event:
        what = f"event '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("date", "title"), ("sources", "text"))
        date = f.text("date")
        if date:
            check_date(date, f.pos("date"), self.problems)
        return Event(e.id, date, f.text("title"), f.text("text"), self.sources_of(f, (e.pos, "event-without-source", what)), e.pos)

    def check_references(self, story: Story) -> None:
        known: dict[str, Mapping[str, object]] = {
            "notes": story.notes,
            "terms": story.terms,
            "people": story.people,
            "sources": story.sources,
        }
        kind = {"notes": "note", "terms": "term", "people": "person", "sources": "source"}
        for section, ref, pos in self.pending:
            if ref not in known[section]:
                self.unknown(pos, kind[section], ref, known[section])
