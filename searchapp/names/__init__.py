"""Names of the region at query time: aliases, places across scripts, spelling."""
