"""How much the report shows: sample sizes (aggregates always cover every row)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from transforms.strips import StripConfig


@dataclass(frozen=True)
class ReportConfig:
    """Sample sizes of the report; aggregates always cover every row."""

    examples_per_reason: int = 4  # dropped clips shown as strips per drop reason
    kept_examples: int = 8
    strip_height_px: int = 96
    caption_pairs: int = 20
    duplicate_groups: int = 10
    failure_examples: int = 3  # example inputs per (stage, error)
    sources: int = 50  # rows of the per-source table, most clips first
    histogram_bins: int = 40
    # clips (a sample by hash of id) whose 99.5th percentile decides if a histogram's last bar
    # takes a long tail: exact up to this many clips, a bounded sample beyond
    quantile_sample: int = 100_000
    # DuckDB's memory for the report's queries: past it, groupings by source or scene spill to
    # disk, so the launcher's peak does not grow with the corpus
    memory_mb: int = 64
    # groupings by source, scene or duplicate group run in passes of about this many rows
    # (by hash of the key): what DuckDB finishes in memory_mb whatever the corpus
    rows_per_pass: int = 1_000_000

    def __post_init__(self):
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"report.{f.name} must be >= 0")
        for name in ("quantile_sample", "memory_mb", "rows_per_pass"):
            if getattr(self, name) < 1:
                raise ValueError(f"report.{name} must be >= 1")
        if self.histogram_bins < 2:
            raise ValueError("report.histogram_bins must be >= 2")
        self.strips()  # the strip settings' own checks (strip_height_px's range)

    def strips(self) -> StripConfig:
        """What the write stage stores strips for: exactly what this report can pick."""
        return StripConfig(self.examples_per_reason, self.kept_examples, self.strip_height_px)
