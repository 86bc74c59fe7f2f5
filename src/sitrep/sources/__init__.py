"""The sources stage: readers that turn inputs into ``Article`` records or rejects."""

from sitrep.sources.readers import Reject, read_jsonl_lines, read_text_file

__all__ = ["Reject", "read_jsonl_lines", "read_text_file"]
