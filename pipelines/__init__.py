"""Assembly of the cliploom stages into one Beam pipeline, and the command line."""
