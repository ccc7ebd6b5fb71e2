"""What a teacher does with the sessions of a class: records (written, verified by replay),
reports, the class summary, and where a student stands in an assignment."""

from game.classroom.progress import assigned_acts, progress_line
from game.classroom.record import (
    RecordError,
    build_record,
    parse_record,
    record_file_name,
    record_text,
    verify_record,
    write_record,
)
from game.classroom.signature import KeyFileError, load_key, load_or_create_key

__all__ = [
    "KeyFileError",
    "RecordError",
    "assigned_acts",
    "build_record",
    "load_key",
    "load_or_create_key",
    "parse_record",
    "progress_line",
    "record_file_name",
    "record_text",
    "verify_record",
    "write_record",
]
