"""One stage per module: probe, gate, dedup, scenes, encode, write."""
